package org.dataflex.driver.config;

/**
 * How replicas on several executors train one model ({@code sync_mode}): one replica, or {@code num_replicas}
 * replicas whose gradients are summed every optimizer step.
 */
public enum SyncMode implements ConfigEnum {
    NONE("none"),
    ALLREDUCE("allreduce");

    private final String configName;

    SyncMode(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
