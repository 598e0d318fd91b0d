package org.dataflex.driver.config;

/**
 * How replicas on several executors train one model ({@code sync_mode}): one replica; {@code num_replicas}
 * replicas whose gradients are summed every optimizer step ({@code allreduce}); or replicas that train
 * {@code sync_every} steps independently and then average their parameters, optionally through an outer Nesterov
 * step ({@code local_sgd}, DiLoCo).
 */
public enum SyncMode implements ConfigEnum {
    NONE("none"),
    ALLREDUCE("allreduce"),
    LOCAL_SGD("local_sgd");

    private final String configName;

    SyncMode(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
