package org.dataflex.driver.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.dataflex.datasets.Example;
import scala.Tuple2;

/** The examples shipped to a round's task, looked up by dataset index to form the planned micro-batches. */
final class RoundExamples {
    private final Map<Long, Example> byIndex = new HashMap<>();

    RoundExamples(Iterator<ArrayList<Tuple2<Example, Long>>> rows) {
        while (rows.hasNext()) {
            for (Tuple2<Example, Long> row : rows.next()) byIndex.put(row._2(), row._1());
        }
    }

    List<Example> batch(long[] indices) {
        List<Example> batch = new ArrayList<>(indices.length);
        for (long index : indices) {
            Example e = byIndex.get(index);
            if (e == null) throw new IllegalStateException("example #" + index + " missing from the round");
            batch.add(e);
        }
        return batch;
    }
}
