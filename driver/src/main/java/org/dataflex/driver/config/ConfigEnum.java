package org.dataflex.driver.config;

/** An enumerated setting whose constants are written in configs under a lower-case LLaMA-Factory name. */
public interface ConfigEnum {
    /** The name as written in config files, e.g. {@code dynamic_select}. */
    String configName();
}
