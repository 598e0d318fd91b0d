package org.dataflex.driver.exec;

import java.io.Serializable;
import java.util.List;
import org.dataflex.executors.train.GradientShard;

/**
 * What one data-parallel replica's task sends back: the steps it finished (an applied allreduce step, or its own
 * local SGD steps), its gradient shard or its parameters when the driver combines them (and, once, the parameters
 * it started from), its compute time, where it ran (so the next job's task goes there) and its full state when
 * the driver asked for it.
 */
public record ReplicaReport(int replica, List<StepRecord> steps, GradientShard shard, float[] parameters,
                            float[] startParameters, double computeSeconds, String location, byte[] state)
        implements Serializable {}
