package org.dataflex.driver.train;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dataflex.algorithms.schedule.FlexSchedule;
import org.dataflex.algorithms.select.PoolSignals;
import org.dataflex.algorithms.select.Selection;
import org.dataflex.algorithms.select.SelectionRequest;
import org.dataflex.algorithms.select.Selector;
import org.dataflex.algorithms.select.SelectorFactory;
import org.dataflex.algorithms.select.Signal;
import org.dataflex.driver.config.ComponentSpec;
import org.dataflex.driver.config.TrainArgs;
import org.dataflex.driver.run.RunDirectory;

/**
 * {@code train_type: dynamic_select}: the Flex schedule (random warmup, then a selection every update_step steps)
 * with the model in the loop. At each selection step the trainer pulls the model state, a Spark job scores the
 * whole training pool with the signals the selector declares, and the selector picks the next subset.
 */
final class SelectDataSchedule implements DataSchedule {
    private final FlexSchedule flex;
    private final Selector selector;
    private final String selectorName;
    private final int poolSize;
    private final SelectionStore store;
    private final SelectionBatchPlan batches;
    private final PrintStream console;
    private final Map<String, Object> fingerprint;

    private SelectDataSchedule(FlexSchedule flex, Selector selector, String selectorName, int poolSize,
                               SelectionStore store, SelectionBatchPlan batches, PrintStream console,
                               Map<String, Object> fingerprint) {
        this.flex = flex;
        this.selector = selector;
        this.selectorName = selectorName;
        this.poolSize = poolSize;
        this.store = store;
        this.batches = batches;
        this.console = console;
        this.fingerprint = fingerprint;
    }

    static SelectDataSchedule create(TrainArgs args, long n, RunDirectory run, PrintStream console) {
        ComponentSpec component = args.component().orElseThrow(() -> new IllegalArgumentException(
                "train_type dynamic_select needs component_name (a selector of " + args.componentsCfgFile() + ")"));
        FlexSchedule flex = FlexSchedule.plan(n, args.perDeviceTrainBatchSize(), args.gradientAccumulationSteps(), 1,
                args.warmupStep(), args.updateStep(), args.updateTimes(), args.numTrainEpochs(), args.trainStep());
        Selector selector = SelectorFactory.create(component.name(), component.params());
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("component_name", component.name());
        fingerprint.put("component_params", String.valueOf(component.params()));
        fingerprint.put("warmup_step", args.warmupStep());
        fingerprint.put("update_step", args.updateStep());
        fingerprint.put("update_times", args.updateTimes());
        return new SelectDataSchedule(flex, selector, component.name(), Math.toIntExact(n),
                new SelectionStore(run.selections()),
                new SelectionBatchPlan(args.perDeviceTrainBatchSize(), args.gradientAccumulationSteps(), args.seed()),
                console, fingerprint);
    }

    @Override public String trainType() { return "dynamic_select"; }
    @Override public int maxSteps() { return flex.maxSteps(); }
    @Override public int totalBatchSize() { return flex.totalBatchSize(); }
    @Override public BatchPlan batches() { return batches; }

    /** Elapsed Flex epochs, fractional and cumulative, as the reference logs {@code epoch}. */
    @Override public double epochProgress(long step) {
        Integer epochSteps = flex.epochUpdateSteps();
        return (double) step / (epochSteps != null ? epochSteps : flex.maxSteps());
    }

    @Override
    public void start(long step) {
        if (step == 0) {
            warmup(0);
            return;
        }
        // a resumed run: rebuild the subsets in force up to the checkpoint from the run directory
        long lastSelection = -1;
        for (FlexSchedule.Event event : flex.events()) {
            if (event.step() > step) break;
            if (event.kind() == FlexSchedule.Kind.WARMUP) {
                batches.use(event.step(), selector.warmup(event.numIndices(), poolSize));
            } else {
                batches.use(event.step(), store.indices(event.step()));
                lastSelection = event.step();
            }
        }
        if (lastSelection >= 0) selector.restoreState(store.state(lastSelection));
    }

    @Override
    public boolean decidesAfter(long step) {
        return step > 0 && flex.eventAt(Math.toIntExact(step)).isPresent();
    }

    @Override
    public void decide(long step, PoolSignalSource signals) {
        FlexSchedule.Event event = flex.eventAt(Math.toIntExact(step)).orElseThrow();
        if (event.kind() == FlexSchedule.Kind.WARMUP) {
            warmup(step);
            return;
        }
        long start = System.nanoTime();
        double[] losses = selector.signals().contains(Signal.LOSS) ? signals.losses() : null;
        double scoring = (System.nanoTime() - start) / 1e9;
        SelectionRequest request = new SelectionRequest(step, event.numIndices(), poolSize,
                event.currentUpdateTimes(), event.updateTimes(), new PoolSignals(losses, null, null));
        Selection selection = selector.select(request);
        check(selection, event, step);
        store.write(step, selection, selector.saveState());
        batches.use(step, selection.indices());
        console.printf(Locale.ROOT, "%n[dataflex] step %d: %s selected %,d of %,d samples (%d/%d)%s%n", step,
                selectorName, selection.indices().length, poolSize, event.currentUpdateTimes(), event.updateTimes(),
                losses == null ? "" : String.format(Locale.ROOT, "; scoring %.1f s (%.2f s per 1k samples)",
                        scoring, scoring * 1000 / poolSize));
    }

    private void warmup(long step) {
        int size = flex.events().stream().filter(e -> e.step() == step).findFirst()
                .map(FlexSchedule.Event::numIndices).orElseThrow();
        batches.use(step, selector.warmup(size, poolSize));
    }

    private void check(Selection selection, FlexSchedule.Event event, long step) {
        int[] indices = selection.indices();
        if (indices.length != event.numIndices()) {
            throw new IllegalStateException("selector " + selectorName + " returned " + indices.length
                    + " indices at step " + step + " but the schedule needs " + event.numIndices()
                    + " (per_device_train_batch_size x gradient_accumulation_steps x update_step)");
        }
        for (int i : indices) {
            if (i < 0 || i >= poolSize) {
                throw new IllegalStateException("selector " + selectorName + " returned index " + i + " at step "
                        + step + ", outside the " + poolSize + " training examples");
            }
        }
    }

    @Override
    public Map<String, Object> fingerprint() {
        return fingerprint;
    }
}
