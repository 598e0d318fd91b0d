package org.dataflex.executors.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {

    @Test
    void writeReadRoundTripKeepsNamesShapesValuesAndMetadata(@TempDir Path dir) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", new SafeTensors.Tensor(new long[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, 0, 7e30f}));
        tensors.put("a.bias", new SafeTensors.Tensor(new long[] {1}, new float[] {-0.25f}));
        tensors.put("scalar", new SafeTensors.Tensor(new long[] {}, new float[] {42f}));
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, tensors, Map.of("format", "pt"));
        SafeTensors.Contents read = SafeTensors.read(file);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(read.tensors().keySet()));
        for (String k : tensors.keySet()) {
            assertArrayEquals(tensors.get(k).shape(), read.tensors().get(k).shape());
            assertArrayEquals(tensors.get(k).data(), read.tensors().get(k).data(), 0f);
        }
        assertEquals("pt", read.metadata().get("format"));
        long headerLen = ByteBuffer.wrap(SafeTensors.toBytes(tensors, Map.of())).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "data section is 8-byte aligned");
    }

    @Test
    void readsHalfAndBfloat16() {
        // 1.0, -2.0, 0.5 and a subnormal in F16; 1.0, -3.0 in BF16
        short[] f16 = {0x3c00, (short) 0xc000, 0x3800, 0x0001};
        short[] bf16 = {0x3f80, (short) 0xc040};
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        for (short s : f16) buf.putShort(s);
        for (short s : bf16) buf.putShort(s);
        SafeTensors.Contents c = SafeTensors.read(buf.array(), "test");
        assertArrayEquals(new float[] {1f, -2f, 0.5f, 0x1p-24f}, c.tensors().get("h").data(), 0f);
        assertArrayEquals(new float[] {1f, -3f}, c.tensors().get("b").data(), 0f);
    }

    @Test
    void rejectsInconsistentOffsetsAndUnknownDtypes() {
        String header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(buf.array(), "bad.safetensors"));
        assertTrue(e.getMessage().contains("bad.safetensors") && e.getMessage().contains("'x'"), e.getMessage());
        String i8 = "{\"x\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
        byte[] h2 = i8.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf2 = ByteBuffer.allocate(8 + h2.length + 1).order(ByteOrder.LITTLE_ENDIAN);
        buf2.putLong(h2.length).put(h2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(buf2.array(), "f"))
                .getMessage().contains("I8"));
    }

    @Test
    void atomicWriteLeavesOnlyTheTarget(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("state.json");
        AtomicFiles.writeString(target, "one");
        AtomicFiles.writeString(target, "two");
        assertEquals("two", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
