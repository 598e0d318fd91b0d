package org.dataflex.driver.exec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.BarrierTaskContext;

/**
 * Exchanges objects between the tasks of a barrier stage through Spark's own {@code allGather} (strings through
 * the driver's barrier coordinator): every task gets every task's object, in partition order, so all replicas
 * combine them identically.
 */
final class BarrierMessages {
    private BarrierMessages() {}

    @SuppressWarnings("unchecked")
    static <T extends Serializable> List<T> allGather(BarrierTaskContext context, T value) {
        String[] all = context.allGather(encode(value));
        List<T> out = new ArrayList<>(all.length);
        for (String s : all) out.add((T) decode(s));
        return out;
    }

    private static String encode(Serializable value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static Object decode(String s) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(s)))) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot decode a barrier message", e);
        }
    }
}
