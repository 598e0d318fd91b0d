package org.dataflex.driver.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What this build can run: which trainers ({@code train_type}) and which components are implemented. Config
 * validation refuses anything else up front, instead of failing after Spark and the model have started.
 * Immutable; the {@code with...} methods return extended copies.
 */
public final class BuildCapabilities {
    private final Set<TrainType> trainTypes;
    private final Map<ComponentKind, Set<String>> components;

    private BuildCapabilities(Set<TrainType> trainTypes, Map<ComponentKind, Set<String>> components) {
        this.trainTypes = trainTypes;
        this.components = components;
    }

    /** Only the static trainer, no components: the state of this build until trainers register themselves. */
    public static BuildCapabilities staticOnly() {
        Map<ComponentKind, Set<String>> none = new EnumMap<>(ComponentKind.class);
        for (ComponentKind kind : ComponentKind.values()) {
            none.put(kind, Set.of());
        }
        return new BuildCapabilities(EnumSet.of(TrainType.STATIC), none);
    }

    public BuildCapabilities withTrainType(TrainType type) {
        EnumSet<TrainType> types = EnumSet.copyOf(trainTypes);
        types.add(type);
        return new BuildCapabilities(types, components);
    }

    public BuildCapabilities withComponent(ComponentKind kind, String name) {
        Map<ComponentKind, Set<String>> copy = new EnumMap<>(components);
        Set<String> names = new TreeSet<>(copy.get(kind));
        names.add(name);
        copy.put(kind, Collections.unmodifiableSet(names));
        return new BuildCapabilities(trainTypes, copy);
    }

    public boolean supports(TrainType type) {
        return trainTypes.contains(type);
    }

    public Set<TrainType> trainTypes() {
        return Collections.unmodifiableSet(trainTypes);
    }

    /** Names of the built components of one kind. */
    public Set<String> components(ComponentKind kind) {
        return components.get(kind);
    }

    /** Registers every built component with a catalog read from a components file. */
    public ComponentCatalog applyTo(ComponentCatalog catalog) {
        components.forEach((kind, names) -> names.forEach(name -> catalog.markBuilt(kind, name)));
        return catalog;
    }

    String describeTrainTypes() {
        return trainTypes.stream().map(TrainType::configName).collect(Collectors.joining(", "));
    }
}
