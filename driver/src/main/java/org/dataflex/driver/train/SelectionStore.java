package org.dataflex.driver.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dataflex.algorithms.select.Selection;
import org.dataflex.driver.run.AtomicFiles;
import org.dataflex.driver.run.Json;

/**
 * {@code selections/step_N.json} ({@code {"indices": [...], "metric": {...}}}, the reference's schema) and the
 * selector's state after that selection ({@code selections/state_step_N.json}), written atomically. A resumed run
 * reads the selections up to its checkpoint instead of recomputing them.
 */
final class SelectionStore {
    private final Path dir;

    SelectionStore(Path dir) {
        this.dir = dir;
    }

    void write(long step, Selection selection, Map<String, Object> selectorState) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("indices", selection.indices());
        doc.put("metric", selection.metric());
        AtomicFiles.writeString(selectionFile(step), Json.line(doc) + "\n");
        if (selectorState != null && !selectorState.isEmpty()) {
            AtomicFiles.writeString(stateFile(step), Json.line(selectorState) + "\n");
        }
    }

    int[] indices(long step) {
        Path file = selectionFile(step);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("cannot resume: " + file + " is missing (the selection made at step "
                    + step + " before the checkpoint)");
        }
        Object indices = Json.readMap(file).get("indices");
        if (!(indices instanceof List<?> list)) throw new IllegalArgumentException(file + ": no \"indices\" list");
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) list.get(i)).intValue();
        return out;
    }

    /** The selector state saved with the selection at {@code step}; empty when the selector keeps none. */
    Map<String, Object> state(long step) {
        Path file = stateFile(step);
        return Files.isRegularFile(file) ? Json.readMap(file) : Map.of();
    }

    private Path selectionFile(long step) { return dir.resolve("step_" + step + ".json"); }
    private Path stateFile(long step) { return dir.resolve("state_step_" + step + ".json"); }
}
