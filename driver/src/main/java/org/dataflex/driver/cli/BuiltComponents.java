package org.dataflex.driver.cli;

import org.dataflex.algorithms.select.SelectorFactory;
import org.dataflex.driver.config.BuildCapabilities;
import org.dataflex.driver.config.ComponentKind;
import org.dataflex.driver.config.TrainType;

/** The train types and components this build can run; the config loader refuses the others clearly. */
final class BuiltComponents {
    private BuiltComponents() {}

    static BuildCapabilities capabilities() {
        BuildCapabilities caps = BuildCapabilities.staticOnly().withTrainType(TrainType.DYNAMIC_SELECT);
        for (String selector : SelectorFactory.names()) caps = caps.withComponent(ComponentKind.SELECTOR, selector);
        return caps;
    }
}
