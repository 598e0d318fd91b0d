package org.dataflex.driver.config;

/** The three kinds of DataFlex components, with their section names in {@code components.yaml}. */
public enum ComponentKind implements ConfigEnum {
    SELECTOR("selector", "selectors"),
    MIXER("mixer", "mixers"),
    WEIGHTER("weighter", "weighters");

    private final String configName;
    private final String section;

    ComponentKind(String configName, String section) {
        this.configName = configName;
        this.section = section;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** Top-level section of {@code components.yaml} holding this kind. */
    public String section() {
        return section;
    }

    /** Parses {@code selector|mixer|weighter} (the section names are accepted too). */
    public static ComponentKind fromName(String name) {
        for (ComponentKind kind : values()) {
            if (kind.configName.equals(name) || kind.section.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown component kind `" + name + "`: expected selector, mixer or weighter");
    }
}
