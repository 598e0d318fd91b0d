package org.dataflex.driver.cli;

import java.io.PrintStream;

/** {@code dataflex version}: this build and the engines it runs on. */
final class VersionCommand {
    private VersionCommand() {}

    static int run(PrintStream out) {
        Package p = DataflexCli.class.getPackage();
        String version = p.getImplementationVersion() != null ? p.getImplementationVersion() : "0.1.0-SNAPSHOT";
        out.println("dataflex " + version);
        out.println("spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION());
        out.println("djl " + ai.djl.engine.Engine.getDjlVersion());
        out.println("java " + System.getProperty("java.version"));
        return 0;
    }
}
