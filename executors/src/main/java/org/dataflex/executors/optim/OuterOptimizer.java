package org.dataflex.executors.optim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * DiLoCo's outer optimizer for parameter averaging (local SGD): Nesterov momentum SGD on the outer gradient
 * {@code Δ = θ − θ̄}, where θ are the global parameters before the round and θ̄ the mean of the replicas'
 * parameters after it: {@code v ← μ v + Δ; θ ← θ − η (Δ + μ v)} (torch SGD with {@code nesterov=True},
 * dampening 0, zero initial velocity). {@code η = 1, μ = 0} is plain averaging {@code θ ← θ̄}.
 *
 * <p>Pure Java over flattened parameter arrays (see {@code TrainingReplica.trainableParameters()}), so the
 * driver can hold it. Arithmetic is in double per element; the velocity is stored in float32. Each replica's
 * AdamW moments are not averaged: in local SGD they stay per replica.
 */
public final class OuterOptimizer implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAGIC = 0x44464f4f; // "DFOO"
    private static final int VERSION = 1;

    private final double outerLr;
    private final double momentum;
    private long steps;
    /** Null until the first step (zero velocity). */
    private float[] velocity;

    public OuterOptimizer(double outerLr, double momentum) {
        if (!(outerLr > 0) || !Double.isFinite(outerLr)) {
            throw new IllegalArgumentException("outer learning rate must be positive and finite, got " + outerLr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("outer momentum must be in [0, 1), got " + momentum);
        }
        this.outerLr = outerLr;
        this.momentum = momentum;
    }

    /** Plain parameter averaging: {@code θ ← θ̄}. */
    public static OuterOptimizer averaging() {
        return new OuterOptimizer(1.0, 0.0);
    }

    public double outerLr() { return outerLr; }
    public double momentum() { return momentum; }
    /** Outer steps taken so far. */
    public long steps() { return steps; }

    /** The element-wise mean of the replicas' flattened parameters (accumulated in double). */
    public static float[] mean(List<float[]> replicas) {
        if (replicas == null || replicas.isEmpty()) throw new IllegalArgumentException("mean needs at least one array");
        int n = replicas.get(0).length;
        double[] sum = new double[n];
        for (int r = 0; r < replicas.size(); r++) {
            float[] a = replicas.get(r);
            if (a.length != n) {
                throw new IllegalArgumentException("replica " + r + " has " + a.length + " values, replica 0 has " + n);
            }
            for (int i = 0; i < n; i++) sum[i] += a[i];
        }
        float[] mean = new float[n];
        for (int i = 0; i < n; i++) mean[i] = (float) (sum[i] / replicas.size());
        return mean;
    }

    /**
     * One outer step: returns the new global parameters from the previous ones ({@code global}) and the replicas'
     * mean ({@code averaged}); updates the velocity. The inputs are not modified.
     */
    public float[] step(float[] global, float[] averaged) {
        if (global == null || averaged == null || global.length != averaged.length) {
            throw new IllegalArgumentException("outer step needs global and averaged parameters of equal length, got "
                    + (global == null ? "null" : global.length) + " and "
                    + (averaged == null ? "null" : averaged.length));
        }
        if (velocity != null && velocity.length != global.length) {
            throw new IllegalArgumentException("outer optimizer state holds " + velocity.length
                    + " values but the parameters have " + global.length);
        }
        if (outerLr == 1.0 && momentum == 0.0) { // plain averaging, exactly: no round trip through θ − Δ
            steps++;
            return averaged.clone();
        }
        float[] v = velocity == null ? new float[global.length] : velocity;
        float[] next = new float[global.length];
        for (int i = 0; i < global.length; i++) {
            double delta = (double) global[i] - averaged[i];
            double vi = momentum * v[i] + delta;
            v[i] = (float) vi;
            next[i] = (float) (global[i] - outerLr * (delta + momentum * vi));
        }
        velocity = v;
        steps++;
        return next;
    }

    /** Hyper-parameters, step count and velocity as bytes (for checkpoints). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeDouble(outerLr);
            out.writeDouble(momentum);
            out.writeLong(steps);
            out.writeInt(velocity == null ? -1 : velocity.length);
            if (velocity != null) {
                for (float f : velocity) out.writeFloat(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The optimizer {@link #toBytes} captured. */
    public static OuterOptimizer fromBytes(byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            if (in.readInt() != MAGIC) throw new IllegalArgumentException("not an outer optimizer state (bad magic)");
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("outer optimizer state version " + version + ", expected " + VERSION);
            }
            OuterOptimizer o = new OuterOptimizer(in.readDouble(), in.readDouble());
            o.steps = in.readLong();
            int n = in.readInt();
            if (n < -1) throw new IllegalArgumentException("outer optimizer state has a negative velocity length " + n);
            if (n >= 0) {
                if ((long) n * Float.BYTES != in.available()) {
                    throw new IllegalArgumentException("outer optimizer state declares " + n + " velocity values but holds "
                            + in.available() + " bytes");
                }
                o.velocity = new float[n];
                for (int i = 0; i < n; i++) o.velocity[i] = in.readFloat();
            }
            if (in.available() != 0) throw new IllegalArgumentException("outer optimizer state has trailing bytes");
            return o;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated outer optimizer state: " + e, e);
        }
    }
}
