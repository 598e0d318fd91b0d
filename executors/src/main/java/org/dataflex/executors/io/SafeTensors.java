package org.dataflex.executors.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reader and writer for the safetensors format: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}} and the raw
 * little-endian tensor data. Reads F32, F16 and BF16 (widened to float); writes F32.
 */
public final class SafeTensors {
    private static final String METADATA_KEY = "__metadata__";
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private SafeTensors() {}

    /** One tensor: its shape and its values in row-major order. */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (long d : shape) n *= d;
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                        + " values but data has " + data.length);
            }
        }
    }

    /** The tensors of a file in header order, plus its string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + ": " + size + " bytes; files over 2 GiB must be sharded");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) break;
            }
            buf.flip();
            return parse(buf, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
        }
    }

    public static Contents read(byte[] bytes, String sourceName) {
        return parse(ByteBuffer.wrap(bytes), sourceName);
    }

    private static Contents parse(ByteBuffer buf, String source) {
        buf.order(ByteOrder.LITTLE_ENDIAN);
        if (buf.remaining() < 8) throw new IllegalArgumentException(source + ": too short for a safetensors file");
        long headerLen = buf.getLong(0);
        if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > buf.limit()) {
            throw new IllegalArgumentException(source + ": invalid safetensors header length " + headerLen);
        }
        byte[] headerBytes = new byte[(int) headerLen];
        buf.position(8);
        buf.get(headerBytes);
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(headerBytes, StandardCharsets.UTF_8).trim()).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(source + ": safetensors header is not a JSON object: " + e.getMessage(), e);
        }
        long dataStart = 8 + headerLen;
        long dataLen = buf.limit() - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals(METADATA_KEY)) {
                for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                    metadata.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            JsonObject info = e.getValue().getAsJsonObject();
            String dtype = info.get("dtype").getAsString();
            long[] shape = new long[info.getAsJsonArray("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = info.getAsJsonArray("shape").get(i).getAsLong();
                count *= shape[i];
            }
            long begin = info.getAsJsonArray("data_offsets").get(0).getAsLong();
            long end = info.getAsJsonArray("data_offsets").get(1).getAsLong();
            int width = bytesPerElement(dtype, source, name);
            if (begin < 0 || end > dataLen || end - begin != count * width) {
                throw new IllegalArgumentException(source + ": tensor '" + name + "' has data_offsets [" + begin + ", "
                        + end + "] inconsistent with dtype " + dtype + ", shape " + Arrays.toString(shape)
                        + " and data size " + dataLen);
            }
            float[] data = decode(buf, (int) (dataStart + begin), (int) count, dtype);
            tensors.put(name, new Tensor(shape, data));
        }
        return new Contents(tensors, metadata);
    }

    private static int bytesPerElement(String dtype, String source, String name) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "F64" -> 8;
            default -> throw new IllegalArgumentException(source + ": tensor '" + name + "' has unsupported dtype "
                    + dtype + " (supported: F32, F16, BF16, F64)");
        };
    }

    private static float[] decode(ByteBuffer buf, int offset, int count, String dtype) {
        float[] out = new float[count];
        ByteBuffer view = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        view.position(offset);
        switch (dtype) {
            case "F32" -> view.asFloatBuffer().get(out);
            case "F64" -> {
                for (int i = 0; i < count; i++) out[i] = (float) view.getDouble(offset + 8 * i);
            }
            case "F16" -> {
                for (int i = 0; i < count; i++) out[i] = halfToFloat(view.getShort(offset + 2 * i));
            }
            case "BF16" -> {
                for (int i = 0; i < count; i++) out[i] = Float.intBitsToFloat((view.getShort(offset + 2 * i) & 0xffff) << 16);
            }
            default -> throw new IllegalStateException("unreachable dtype " + dtype);
        }
        return out;
    }

    /** IEEE 754 binary16 to float, including subnormals, infinities and NaN. */
    static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero)
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Writes tensors (F32) and metadata to a file atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        AtomicFiles.write(file, out -> write(out, tensors, metadata));
    }

    /**
     * The safetensors bytes, written into one array of exactly the final size: a growing buffer would need up to
     * three times the state's size at once, which ran a 1 GB executor out of heap for a 10M-parameter model.
     */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        long size = 8L + header(tensors, metadata).length;
        for (Tensor t : tensors.values()) size += 4L * t.data().length;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("state of " + size + " bytes exceeds a Java array; write it to a file");
        }
        byte[] bytes = new byte[(int) size];
        ArrayWriter writer = new ArrayWriter(bytes);
        try {
            write(writer, tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (writer.position != bytes.length) {
            throw new IllegalStateException("wrote " + writer.position + " of " + bytes.length + " safetensors bytes");
        }
        return bytes;
    }

    /** An output stream over a pre-sized array (no copies, no growth). */
    private static final class ArrayWriter extends OutputStream {
        private final byte[] target;
        private int position;

        ArrayWriter(byte[] target) {
            this.target = target;
        }

        @Override public void write(int b) {
            target[position++] = (byte) b;
        }

        @Override public void write(byte[] b, int off, int len) {
            System.arraycopy(b, off, target, position, len);
            position += len;
        }
    }

    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        byte[] headerBytes = header(tensors, metadata);
        long padded = headerBytes.length;
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(len.array());
        out.write(headerBytes);
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : tensors.values()) {
            float[] d = t.data();
            for (int i = 0; i < d.length; ) {
                chunk.clear();
                int n = Math.min(d.length - i, chunk.capacity() / 4);
                chunk.asFloatBuffer().put(d, i, n);
                out.write(chunk.array(), 0, 4 * n);
                i += n;
            }
        }
    }

    /** The JSON header (dtype, shape, offsets, metadata), space-padded to a multiple of 8 bytes. */
    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add(METADATA_KEY, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            JsonObject info = new JsonObject();
            info.addProperty("dtype", "F32");
            com.google.gson.JsonArray shape = new com.google.gson.JsonArray();
            for (long d : e.getValue().shape()) shape.add(d);
            info.add("shape", shape);
            com.google.gson.JsonArray offsets = new com.google.gson.JsonArray();
            long len = 4L * e.getValue().data().length;
            offsets.add(offset);
            offsets.add(offset + len);
            info.add("data_offsets", offsets);
            header.add(e.getKey(), info);
            offset += len;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // keep the data section 8-byte aligned
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        return headerBytes;
    }
}
