package org.dataflex.executors.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.dataflex.datasets.Example;
import org.dataflex.executors.io.AtomicFiles;
import org.dataflex.executors.io.SafeTensors;
import org.dataflex.executors.io.SafeTensors.Tensor;
import org.dataflex.executors.lora.LoraAdapter;
import org.dataflex.executors.model.CausalLmLoss;
import org.dataflex.executors.model.GptModel;
import org.dataflex.executors.model.GptParameters;
import org.dataflex.executors.model.GradMode;
import org.dataflex.executors.model.ModelConfig;
import org.dataflex.executors.model.TokenBatch;
import org.dataflex.executors.optim.AdamW;
import org.dataflex.executors.optim.GradientClipping;
import org.dataflex.executors.optim.LrSchedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;

/**
 * A model replica resident in an executor: GPT-2 weights (plus LoRA adapters), AdamW state and a step counter.
 *
 * <p>{@link #trainStep} runs one optimizer step over gradient-accumulation micro-batches. Its objective is the
 * mean over micro-batches of each micro-batch's token-mean loss (HF Trainer's convention: every micro-batch
 * weighs the same, whatever its token count; a micro-batch without loss tokens contributes 0). libtorch allows
 * one gradient recording per JVM, so training steps of all replicas in a JVM are serialised by a JVM-wide lock;
 * {@link #sampleLosses} records no gradients and may run concurrently with other evaluations.
 *
 * <p>Synchronous data parallelism splits a step across replicas: each runs {@link #computeGradients} on its share
 * of the micro-batches, the shards are summed ({@link GradientShard#sum}) and every replica runs
 * {@link #applyGradients} with the total, which equals {@code trainStep} over all micro-batches. Local SGD /
 * DiLoCo reads and writes the flattened {@link #trainableParameters()}; AdamW moments stay per replica.
 *
 * <p>Randomness (LoRA dropout) comes from torch's generator re-seeded before every micro-batch from the replica
 * seed, the step number and the micro-batch's index in the step, so the RNG state is (seed, step), a restored
 * replica continues bit-identically and a micro-batch gets the same masks on whichever replica it runs.
 */
public final class TrainingReplica implements AutoCloseable {
    private static final ReentrantLock BACKWARD_LOCK = new ReentrantLock();
    private static final String STATE_FORMAT = "dataflex-replica-v1";
    /** Evaluation chunks: at most this many padded tokens and examples per forward pass. */
    private static final int EVAL_MAX_TOKENS = 16384;
    private static final int EVAL_MAX_EXAMPLES = 64;

    private final ReplicaSpec spec;
    private final GptModel model;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final long rngSeed;
    private final ReentrantReadWriteLock weightsLock = new ReentrantReadWriteLock();
    /** Number of trainable values: the length of flattened parameters and gradients. */
    private final int trainableSize;
    private long step;
    private boolean gradientsAllocated;

    private TrainingReplica(ReplicaSpec spec, GptModel model, long rngSeed) {
        this.spec = spec;
        this.model = model;
        this.rngSeed = rngSeed;
        this.schedule = spec.optimizer().schedule();
        this.optimizer = new AdamW(spec.optimizer(), model.trainableParameters(), model.manager());
        long size = 0;
        for (NDArray p : model.trainableParameters().values()) size += p.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the model has " + size + " trainable values; flattened parameters and "
                    + "gradients hold at most " + (Integer.MAX_VALUE - 8));
        }
        this.trainableSize = (int) size;
    }

    /** A replica from the spec: fresh init or {@code initFrom}, plus new LoRA adapters when LoRA is on. */
    public static TrainingReplica create(ReplicaSpec spec) {
        GptModel model = spec.initFrom() == null
                ? GptModel.initialize(spec.model(), spec.seed())
                : GptModel.loadPretrained(Path.of(spec.initFrom()), spec.model());
        try {
            if (spec.lora() != null) {
                model.attachLora(LoraAdapter.initialize(model.config(), spec.lora(), spec.seed(), model.manager(),
                        DataType.FLOAT32));
            }
            return new TrainingReplica(spec, model, spec.seed());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public ReplicaSpec spec() { return spec; }
    public ModelConfig modelConfig() { return model.config(); }
    /** The underlying model (for signal computations that need the forward pass). */
    public GptModel model() { return model; }

    public long step() {
        weightsLock.readLock().lock();
        try {
            return step;
        } finally {
            weightsLock.readLock().unlock();
        }
    }

    /** One optimizer step over gradient-accumulation micro-batches (each padded to its longest example). */
    public StepResult trainStep(List<List<Example>> microBatches) {
        if (microBatches == null || microBatches.isEmpty()) {
            throw new IllegalArgumentException("trainStep needs at least one micro-batch");
        }
        return trainStep(microBatches, IntStream.range(0, microBatches.size()).toArray(), microBatches.size());
    }

    /**
     * One optimizer step over this replica's share of a global step (local SGD): the objective is the mean over
     * {@code microBatches}; {@code microBatchIndices[i]} is the position of micro-batch i among the step's
     * {@code stepMicroBatches}, which seeds its LoRA dropout mask as in a single-replica step.
     */
    public StepResult trainStep(List<List<Example>> microBatches, int[] microBatchIndices, int stepMicroBatches) {
        if (microBatches == null || microBatches.isEmpty() || microBatchIndices == null) {
            throw new IllegalArgumentException("trainStep needs at least one micro-batch and their indices");
        }
        requireIndices(microBatches.size(), microBatchIndices, stepMicroBatches);
        List<TokenBatch> batches = tokenize(microBatches);
        weightsLock.writeLock().lock();
        BACKWARD_LOCK.lock();
        try (NDManager stepManager = model.manager().newSubManager()) {
            requireLossTokens(lossTokens(batches), allIds(batches));
            try {
                double lossSum = accumulate(batches, microBatchIndices, batches.size(), stepManager);
                return update(parameterGradients(stepManager), lossSum / batches.size(), inputTokens(batches),
                        lossTokens(batches), allIds(batches), stepManager);
            } finally {
                zeroGradients();
            }
        } finally {
            BACKWARD_LOCK.unlock();
            weightsLock.writeLock().unlock();
        }
    }

    /**
     * A step without data for this replica (local SGD when a step has fewer micro-batches than replicas): no
     * update, but the step counter advances so the learning-rate schedule stays aligned with the other replicas.
     * Reports no tokens and a zero loss and norm.
     */
    public StepResult idleStep() {
        weightsLock.writeLock().lock();
        try {
            double lr = spec.optimizer().learningRate() * schedule.multiplier(step);
            step++;
            return new StepResult(0, lr, 0, 0, 0, step);
        } finally {
            weightsLock.writeLock().unlock();
        }
    }

    /**
     * Data parallelism, first half: forward/backward over this replica's share of a global step's micro-batches
     * without updating anything. Each micro-batch objective is divided by {@code totalMicroBatches}, the step's
     * global micro-batch count, so the sum of every replica's shard is the gradient of {@link #trainStep} over all
     * micro-batches. {@code microBatchIndices[i]} is the index of {@code microBatches.get(i)} in the step (any
     * assignment: contiguous runs or round-robin): LoRA dropout masks are seeded per (step, index), so the masks
     * are those {@code trainStep} would draw. An empty list gives a zero shard (a replica without work this step).
     */
    public GradientShard computeGradients(List<List<Example>> microBatches, int[] microBatchIndices,
                                          int totalMicroBatches) {
        if (microBatches == null || microBatchIndices == null) {
            throw new IllegalArgumentException("computeGradients needs micro-batches and their indices");
        }
        requireIndices(microBatches.size(), microBatchIndices, totalMicroBatches);
        List<TokenBatch> batches = tokenize(microBatches);
        weightsLock.writeLock().lock();
        BACKWARD_LOCK.lock();
        try (NDManager stepManager = model.manager().newSubManager()) {
            long lossTokens = lossTokens(batches);
            float[] flat;
            double lossSum;
            try {
                lossSum = accumulate(batches, microBatchIndices, totalMicroBatches, stepManager);
                flat = lossTokens == 0 ? new float[trainableSize] : flatten(parameterGradients(stepManager));
            } finally {
                zeroGradients();
            }
            return new GradientShard(step, totalMicroBatches, batches.size(), flat, lossSum, inputTokens(batches),
                    lossTokens, allIds(batches));
        } finally {
            BACKWARD_LOCK.unlock();
            weightsLock.writeLock().unlock();
        }
    }

    /**
     * {@link #computeGradients(List, int[], int)} with the micro-batches numbered 0, 1, ... (exact without LoRA
     * dropout; with dropout, pass the real indices to reproduce trainStep's masks).
     */
    public GradientShard computeGradients(List<List<Example>> microBatches, int totalMicroBatches) {
        if (microBatches == null) throw new IllegalArgumentException("computeGradients needs micro-batches");
        return computeGradients(microBatches, IntStream.range(0, microBatches.size()).toArray(), totalMicroBatches);
    }

    private static void requireIndices(int count, int[] indices, int total) {
        if (total < 1) throw new IllegalArgumentException("totalMicroBatches must be at least 1, got " + total);
        if (indices.length != count) {
            throw new IllegalArgumentException(count + " micro-batches but " + indices.length + " micro-batch indices");
        }
        boolean[] seen = new boolean[total];
        for (int index : indices) {
            if (index < 0 || index >= total) {
                throw new IllegalArgumentException("micro-batch index " + index + " is outside a step of " + total
                        + " micro-batches");
            }
            if (seen[index]) throw new IllegalArgumentException("micro-batch index " + index + " appears twice");
            seen[index] = true;
        }
    }

    /**
     * Data parallelism, second half: one optimizer step with the summed gradients of every replica (see
     * {@link GradientShard#sum}). Clips by {@code max_grad_norm} on the total, runs AdamW with the scheduled
     * learning rate and advances the step; every replica applying the same total stays identical. The returned
     * loss is {@code total.lossSum() / totalMicroBatches}, as {@code trainStep}'s. A non-finite loss or gradient
     * norm throws {@link NonFiniteLossException} and applies nothing.
     */
    public StepResult applyGradients(GradientShard total) {
        if (total == null) throw new IllegalArgumentException("applyGradients needs a gradient total");
        if (!total.complete()) {
            throw new IllegalArgumentException("the gradient total covers " + total.microBatches() + " of the step's "
                    + total.totalMicroBatches() + " micro-batches; sum every replica's shard first");
        }
        if (total.gradients().length != trainableSize) {
            throw new IllegalArgumentException("the gradient total has " + total.gradients().length
                    + " values but this replica has " + trainableSize + " trainable parameters");
        }
        weightsLock.writeLock().lock();
        BACKWARD_LOCK.lock();
        try (NDManager stepManager = model.manager().newSubManager()) {
            if (total.step() != step) {
                throw new IllegalArgumentException("gradients computed at step " + total.step()
                        + " cannot be applied to a replica at step " + step);
            }
            requireLossTokens(total.lossTokens(), total.exampleIds());
            if (!Double.isFinite(total.lossSum())) {
                throw new NonFiniteLossException(step + 1, "loss", total.lossSum(), total.exampleIds());
            }
            return update(unflatten(total.gradients(), stepManager), total.loss(), total.inputTokens(),
                    total.lossTokens(), total.exampleIds(), stepManager);
        } finally {
            BACKWARD_LOCK.unlock();
            weightsLock.writeLock().unlock();
        }
    }

    private List<TokenBatch> tokenize(List<List<Example>> microBatches) {
        List<TokenBatch> batches = new ArrayList<>();
        for (List<Example> mb : microBatches) batches.add(TokenBatch.of(mb, model.config()));
        return batches;
    }

    private void requireLossTokens(long lossTokens, List<String> ids) {
        if (lossTokens == 0) {
            throw new IllegalArgumentException("step " + (step + 1) + " has no loss tokens (all labels ignored) in "
                    + "examples " + ids);
        }
    }

    /**
     * Forward/backward over {@code batches}, each objective scaled by 1 / {@code totalMicroBatches}; gradients
     * accumulate on the parameters. Returns the sum of the micro-batch token-mean losses.
     */
    private double accumulate(List<TokenBatch> batches, int[] microBatchIndices, int totalMicroBatches,
                              NDManager stepManager) {
        boolean dropout = spec.lora() != null && spec.lora().dropout() > 0;
        NDArray perMicroBatch = stepManager.full(new Shape(), (float) (1.0 / totalMicroBatches), model.dtype());
        double lossSum = 0;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            for (int i = 0; i < batches.size(); i++) {
                TokenBatch batch = batches.get(i);
                if (dropout) {
                    // masks depend on (seed, step, global micro-batch index) only, wherever the micro-batch runs
                    JniUtils.setSeed(GptParameters.streamSeed(rngSeed, "dropout:" + step + ":" + microBatchIndices[i]));
                }
                try (NDManager micro = stepManager.newSubManager()) {
                    CausalLmLoss.Result r = CausalLmLoss.compute(model, batch, micro, true);
                    if (!Double.isFinite(r.objectiveValue())) {
                        throw new NonFiniteLossException(step + 1, "loss", r.objectiveValue(), batch.ids());
                    }
                    if (r.objective() != null) {
                        collector.backward(r.objective().mul(perMicroBatch));
                        gradientsAllocated = true;
                    }
                    lossSum += r.objectiveValue();
                }
            }
        }
        return lossSum;
    }

    /** The accumulated gradients of the trainable parameters (views attached to {@code stepManager}). */
    private Map<String, NDArray> parameterGradients(NDManager stepManager) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.trainableParameters().entrySet()) {
            NDArray g = e.getValue().getGradient();
            g.attach(stepManager);
            grads.put(e.getKey(), g);
        }
        return grads;
    }

    /** Clipping, AdamW and the step counter: shared by trainStep and applyGradients so both update identically. */
    private StepResult update(Map<String, NDArray> grads, double loss, long inputTokens, long lossTokens,
                              List<String> ids, NDManager stepManager) {
        double norm = GradientClipping.clip(grads.values(), spec.optimizer().maxGradNorm());
        if (!Double.isFinite(norm)) throw new NonFiniteLossException(step + 1, "gradient norm", norm, ids);
        double lr = spec.optimizer().learningRate() * schedule.multiplier(step);
        // in-place updates of leaf parameters must not be recorded by autograd
        boolean previousGradMode = GradMode.disable();
        try {
            optimizer.step(grads, lr, step + 1, stepManager);
        } finally {
            GradMode.restore(previousGradMode);
        }
        step++;
        return new StepResult(loss, lr, norm, inputTokens, lossTokens, step);
    }

    private void zeroGradients() {
        if (!gradientsAllocated) return;
        for (NDArray p : model.trainableParameters().values()) JniUtils.zeroGrad((PtNDArray) p);
    }

    private static long lossTokens(List<TokenBatch> batches) {
        long n = 0;
        for (TokenBatch b : batches) n += b.lossTokens();
        return n;
    }

    private static long inputTokens(List<TokenBatch> batches) {
        long n = 0;
        for (TokenBatch b : batches) n += b.inputTokens();
        return n;
    }

    private static List<String> allIds(List<TokenBatch> batches) {
        List<String> ids = new ArrayList<>();
        for (TokenBatch b : batches) ids.addAll(b.ids());
        return ids;
    }

    /** Per-sample loss sums and token counts without gradients, in the order of {@code batch}. */
    public SampleLosses sampleLosses(List<Example> batch) {
        int n = batch.size();
        double[] sums = new double[n];
        int[] counts = new int[n];
        // evaluate in length order so that chunks carry little padding
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> batch.get(i).length()));
        weightsLock.readLock().lock();
        boolean previousGradMode = GradMode.disable();
        try {
            int start = 0;
            while (start < n) {
                int end = start + 1;
                while (end < n && end - start < EVAL_MAX_EXAMPLES
                        && (long) (end - start + 1) * batch.get(order[end]).length() <= EVAL_MAX_TOKENS) {
                    end++;
                }
                List<Example> chunk = new ArrayList<>();
                for (int i = start; i < end; i++) chunk.add(batch.get(order[i]));
                try (NDManager scratch = model.manager().newSubManager()) {
                    CausalLmLoss.Result r = CausalLmLoss.compute(model, TokenBatch.of(chunk, model.config()), scratch, false);
                    for (int i = start; i < end; i++) {
                        sums[order[i]] = r.sampleSums()[i - start];
                        counts[order[i]] = r.sampleCounts()[i - start];
                    }
                }
                start = end;
            }
        } finally {
            GradMode.restore(previousGradMode);
            weightsLock.readLock().unlock();
        }
        return new SampleLosses(batch.stream().map(Example::id).toList(), sums, counts);
    }

    // ---- flattened trainable parameters (data parallelism, local SGD) ---------------------------------------

    /**
     * Names of the trainable parameters in the fixed order of every flattened array (gradients in
     * {@link GradientShard}, {@link #trainableParameters()}): the LoRA matrices with LoRA, all GPT-2 parameters
     * (Hugging Face order, without {@code transformer.}) otherwise.
     */
    public List<String> trainableParameterNames() {
        return List.copyOf(model.trainableParameters().keySet());
    }

    /** The number of trainable values (length of every flattened array). */
    public int trainableParameterCount() {
        return trainableSize;
    }

    /** A copy of the trainable parameters, flattened in {@link #trainableParameterNames()} order. */
    public float[] trainableParameters() {
        weightsLock.readLock().lock();
        try {
            return flatten(model.trainableParameters());
        } finally {
            weightsLock.readLock().unlock();
        }
    }

    /**
     * Overwrites the trainable parameters (for parameter averaging / a DiLoCo outer step). AdamW moments, the step
     * counter and frozen base weights are untouched: in local SGD each replica keeps its own moments.
     */
    public void setTrainableParameters(float[] values) {
        if (values == null || values.length != trainableSize) {
            throw new IllegalArgumentException("setTrainableParameters needs " + trainableSize + " values, got "
                    + (values == null ? "null" : Integer.toString(values.length)));
        }
        weightsLock.writeLock().lock();
        // writing into leaves that require gradients must not be recorded by autograd
        boolean previousGradMode = GradMode.disable();
        try {
            int offset = 0;
            for (NDArray p : model.trainableParameters().values()) {
                int n = Math.toIntExact(p.size());
                // heap buffers: DJL copies them into a buffer the parameter owns
                if (p.getDataType() == DataType.FLOAT32) {
                    p.set(FloatBuffer.wrap(Arrays.copyOfRange(values, offset, offset + n)));
                } else {
                    double[] widened = new double[n];
                    for (int i = 0; i < n; i++) widened[i] = values[offset + i];
                    p.set(DoubleBuffer.wrap(widened));
                }
                offset += n;
            }
        } finally {
            GradMode.restore(previousGradMode);
            weightsLock.writeLock().unlock();
        }
    }

    private float[] flatten(Map<String, NDArray> arrays) {
        float[] flat = new float[trainableSize];
        int offset = 0;
        for (NDArray a : arrays.values()) {
            float[] values = LoraAdapter.toTensor(a).data();
            System.arraycopy(values, 0, flat, offset, values.length);
            offset += values.length;
        }
        return flat;
    }

    /** Gradient arrays shaped like the trainable parameters from a flattened array, created in {@code manager}. */
    private Map<String, NDArray> unflatten(float[] flat, NDManager manager) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        int offset = 0;
        for (Map.Entry<String, NDArray> e : model.trainableParameters().entrySet()) {
            NDArray p = e.getValue();
            int n = Math.toIntExact(p.size());
            NDArray g = manager.create(Arrays.copyOfRange(flat, offset, offset + n), p.getShape());
            if (g.getDataType() != p.getDataType()) {
                g = g.toType(p.getDataType(), false);
                g.attach(manager);
            }
            arrays.put(e.getKey(), g);
            offset += n;
        }
        return arrays;
    }

    // ---- state ---------------------------------------------------------------------------------------------

    /** All weights, LoRA adapters, AdamW moments, the step counter and the RNG state, as one byte array. */
    public byte[] toBytes() {
        weightsLock.readLock().lock();
        try {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            model.baseTensors().forEach((k, v) -> tensors.put("model/" + k, v));
            if (model.lora() != null) {
                model.lora().parameters().forEach((k, v) -> tensors.put("lora/" + k, LoraAdapter.toTensor(v)));
            }
            optimizer.expAvg().forEach((k, v) -> tensors.put("exp_avg/" + k, LoraAdapter.toTensor(v)));
            optimizer.expAvgSq().forEach((k, v) -> tensors.put("exp_avg_sq/" + k, LoraAdapter.toTensor(v)));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", STATE_FORMAT);
            meta.put("step", Long.toString(step));
            meta.put("rng_seed", Long.toString(rngSeed));
            meta.put("config", model.config().toHfJson());
            return SafeTensors.toBytes(tensors, meta);
        } finally {
            weightsLock.readLock().unlock();
        }
    }

    /** The replica {@link #toBytes} captured; {@code spec} supplies optimizer and LoRA settings. */
    public static TrainingReplica fromBytes(ReplicaSpec spec, byte[] state) {
        SafeTensors.Contents c = SafeTensors.read(state, "replica state");
        Map<String, String> meta = c.metadata();
        if (!STATE_FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException("replica state has format " + meta.get("format") + ", expected "
                    + STATE_FORMAT);
        }
        ModelConfig config = ModelConfig.fromHfJson(meta.get("config"), "replica state config");
        return restore(spec, config, prefixed(c.tensors(), "model/"), prefixed(c.tensors(), "lora/"),
                prefixed(c.tensors(), "exp_avg/"), prefixed(c.tensors(), "exp_avg_sq/"),
                Long.parseLong(meta.get("step")), Long.parseLong(meta.get("rng_seed")), "replica state");
    }

    private static Map<String, Tensor> prefixed(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }

    private static TrainingReplica restore(ReplicaSpec spec, ModelConfig config, Map<String, Tensor> weights,
                                           Map<String, Tensor> lora, Map<String, Tensor> expAvg,
                                           Map<String, Tensor> expAvgSq, long step, long rngSeed, String source) {
        if (spec.model() != null && !GptModel.sameShape(spec.model(), config)) {
            throw new IllegalArgumentException(source + " holds a model " + config + " but the spec asks for "
                    + spec.model());
        }
        GptModel model = GptModel.fromTensors(config, weights, DataType.FLOAT32, source);
        try {
            if (spec.lora() != null) {
                if (lora.isEmpty()) throw new IllegalArgumentException(source + " has no LoRA weights but the spec enables LoRA");
                model.attachLora(LoraAdapter.fromTensors(config, spec.lora(), lora, model.manager(), DataType.FLOAT32,
                        source));
            } else if (!lora.isEmpty()) {
                throw new IllegalArgumentException(source + " has LoRA weights but the spec has no LoRA settings");
            }
            TrainingReplica replica = new TrainingReplica(spec, model, rngSeed);
            replica.optimizer.loadMoments(expAvg, expAvgSq, model.manager(), source);
            replica.step = step;
            return replica;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Writes a resumable checkpoint: {@code model.safetensors} (GPT-2 names, base weights), {@code config.json},
     * with LoRA {@code adapter_model.safetensors} + {@code adapter_config.json}, {@code optimizer.safetensors}
     * ({@code <param>.exp_avg}, {@code <param>.exp_avg_sq}) and, last, {@code replica_state.json}.
     */
    public void saveCheckpoint(Path dir) {
        weightsLock.readLock().lock();
        try {
            Map<String, Tensor> weights = new LinkedHashMap<>();
            model.baseTensors().forEach((k, v) -> weights.put("transformer." + k, v));
            SafeTensors.write(dir.resolve("model.safetensors"), weights, Map.of("format", "pt"));
            model.config().writeHfConfig(dir);
            writeAdapter(dir);
            Map<String, Tensor> moments = new LinkedHashMap<>();
            optimizer.expAvg().forEach((k, v) -> moments.put(k + ".exp_avg", LoraAdapter.toTensor(v)));
            optimizer.expAvgSq().forEach((k, v) -> moments.put(k + ".exp_avg_sq", LoraAdapter.toTensor(v)));
            SafeTensors.write(dir.resolve("optimizer.safetensors"), moments, Map.of("optimizer", "adamw"));
            AtomicFiles.writeString(dir.resolve("replica_state.json"), stateJson());
        } finally {
            weightsLock.readLock().unlock();
        }
    }

    private String stateJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", STATE_FORMAT);
        o.addProperty("step", step);
        JsonObject rng = new JsonObject();
        rng.addProperty("seed", rngSeed);
        rng.addProperty("scheme", "torch generator re-seeded per micro-batch from (seed, step, micro-batch index)");
        o.add("rng", rng);
        JsonObject s = new JsonObject();
        s.addProperty("init_from", spec.initFrom());
        s.addProperty("learning_rate", spec.optimizer().learningRate());
        s.addProperty("weight_decay", spec.optimizer().weightDecay());
        s.addProperty("lr_scheduler_type", spec.optimizer().lrScheduler());
        s.addProperty("warmup_steps", spec.optimizer().warmupSteps());
        s.addProperty("total_steps", spec.optimizer().totalSteps());
        s.addProperty("max_grad_norm", spec.optimizer().maxGradNorm());
        s.addProperty("finetuning_type", spec.lora() == null ? "full" : "lora");
        if (spec.lora() != null) {
            s.addProperty("lora_rank", spec.lora().rank());
            s.addProperty("lora_alpha", spec.lora().alpha());
            s.addProperty("lora_dropout", spec.lora().dropout());
            s.addProperty("lora_target", String.join(",", spec.lora().targets()));
        }
        s.addProperty("parameters", model.config().parameterCount());
        o.add("spec", s);
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }

    private void writeAdapter(Path dir) {
        if (model.lora() == null) return;
        SafeTensors.write(dir.resolve("adapter_model.safetensors"), model.lora().peftTensors(), Map.of("format", "pt"));
        AtomicFiles.writeString(dir.resolve("adapter_config.json"), model.lora().peftConfigJson(spec.initFrom()));
    }

    /** Restores a replica written by {@link #saveCheckpoint}. */
    public static TrainingReplica loadCheckpoint(ReplicaSpec spec, Path dir) {
        Path stateFile = dir.resolve("replica_state.json");
        if (!Files.isRegularFile(stateFile)) {
            throw new IllegalArgumentException("checkpoint " + dir + " is incomplete: no replica_state.json");
        }
        JsonObject state;
        try {
            state = JsonParser.parseString(Files.readString(stateFile)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stateFile + ": " + e.getMessage(), e);
        }
        ModelConfig config = ModelConfig.readHfConfig(dir.resolve("config.json"));
        Map<String, Tensor> lora = new LinkedHashMap<>();
        Path adapter = dir.resolve("adapter_model.safetensors");
        if (Files.isRegularFile(adapter)) lora.putAll(SafeTensors.read(adapter).tensors());
        Path optimizerFile = dir.resolve("optimizer.safetensors");
        Map<String, Tensor> moments = SafeTensors.read(optimizerFile).tensors();
        return restore(spec, config, SafeTensors.read(dir.resolve("model.safetensors")).tensors(), lora,
                suffixed(moments, ".exp_avg"), suffixed(moments, ".exp_avg_sq"),
                state.get("step").getAsLong(), state.getAsJsonObject("rng").get("seed").getAsLong(),
                dir.toString());
    }

    private static Map<String, Tensor> suffixed(Map<String, Tensor> all, String suffix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.endsWith(suffix)) out.put(k.substring(0, k.length() - suffix.length()), v);
        });
        return out;
    }

    /** Writes the model in Hugging Face layout (LoRA merged) plus, with LoRA, the PEFT adapter files. */
    public void exportModel(Path dir) {
        weightsLock.readLock().lock();
        try {
            model.saveHf(dir);
            writeAdapter(dir);
        } finally {
            weightsLock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
