package org.dataflex.executors.optim;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OuterOptimizerTest {

    static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    @Test
    void unitRateWithoutMomentumIsPlainAveraging() {
        float[] global = random(257, 1);
        List<float[]> replicas = List.of(random(257, 2), random(257, 3), random(257, 4));
        float[] mean = OuterOptimizer.mean(replicas);
        for (int i = 0; i < mean.length; i += 50) {
            double expected = (replicas.get(0)[i] + (double) replicas.get(1)[i] + replicas.get(2)[i]) / 3;
            assertEquals((float) expected, mean[i], 0f);
        }
        OuterOptimizer averaging = OuterOptimizer.averaging();
        assertArrayEquals(mean, averaging.step(global, mean), 0f);
        // zero momentum keeps no memory: the next round is again the plain mean
        float[] nextMean = OuterOptimizer.mean(List.of(random(257, 5), random(257, 6)));
        assertArrayEquals(nextMean, averaging.step(mean, nextMean), 0f);
        assertEquals(2, averaging.steps());
    }

    @Test
    void nesterovStepsMatchHandComputation() {
        OuterOptimizer o = new OuterOptimizer(0.7, 0.9);
        // step 1: Δ = θ − θ̄ = [0.5, −0.5]; v = Δ; θ ← θ − 0.7 (Δ + 0.9 v) = θ − 0.7 · 1.9 Δ
        float[] theta = o.step(new float[] {1f, -2f}, new float[] {0.5f, -1.5f});
        assertArrayEquals(new float[] {0.335f, -1.335f}, theta, 1e-6f);
        // step 2: θ̄ = [0.235, −1.135] so Δ = [0.1, −0.2]; v = 0.9 [0.5, −0.5] + Δ = [0.55, −0.65];
        // θ ← θ − 0.7 (Δ + 0.9 v) = [0.335 − 0.7 · 0.595, −1.335 + 0.7 · 0.785] = [−0.0815, −0.7855]
        theta = o.step(theta, new float[] {0.235f, -1.135f});
        assertArrayEquals(new float[] {-0.0815f, -0.7855f}, theta, 1e-6f);
        assertEquals(2, o.steps());
    }

    @Test
    void stateRoundTripsThroughBytesAndJavaSerialisation() throws Exception {
        OuterOptimizer o = new OuterOptimizer(0.8, 0.5);
        float[] global = random(64, 7);
        global = o.step(global, random(64, 8));
        OuterOptimizer restored = OuterOptimizer.fromBytes(o.toBytes());
        assertEquals(1, restored.steps());
        assertEquals(0.8, restored.outerLr());
        assertEquals(0.5, restored.momentum());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
            out.writeObject(o);
        }
        OuterOptimizer deserialised;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray()))) {
            deserialised = (OuterOptimizer) in.readObject();
        }
        float[] averaged = random(64, 9);
        float[] expected = o.step(global, averaged);
        assertArrayEquals(expected, restored.step(global, averaged), 0f, "the velocity was restored");
        assertArrayEquals(expected, deserialised.step(global, averaged), 0f);
        // a fresh optimizer (zero velocity) would move elsewhere
        float[] fresh = new OuterOptimizer(0.8, 0.5).step(global, averaged);
        assertFalse(Arrays.equals(expected, fresh));
        assertEquals(0, OuterOptimizer.fromBytes(OuterOptimizer.averaging().toBytes()).steps());
    }

    @Test
    void invalidSettingsAndInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new OuterOptimizer(0, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new OuterOptimizer(0.7, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new OuterOptimizer(0.7, -0.1));
        OuterOptimizer o = new OuterOptimizer(0.7, 0.9);
        assertThrows(IllegalArgumentException.class, () -> o.step(new float[3], new float[4]));
        o.step(new float[3], new float[3]);
        assertThrows(IllegalArgumentException.class, () -> o.step(new float[4], new float[4]));
        assertThrows(IllegalArgumentException.class, () -> OuterOptimizer.mean(List.of(new float[2], new float[3])));
        byte[] state = o.toBytes();
        assertThrows(IllegalArgumentException.class, () -> OuterOptimizer.fromBytes(Arrays.copyOf(state, state.length - 2)));
        assertThrows(IllegalArgumentException.class, () -> OuterOptimizer.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
    }
}
