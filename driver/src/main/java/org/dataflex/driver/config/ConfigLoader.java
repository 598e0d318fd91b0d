package org.dataflex.driver.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads the configuration of {@code dataflex train CONFIG [key=value ...]}: a LLaMA-Factory / DataFlex YAML file
 * (flat keys), HOCON ({@code .conf}) or JSON, with command-line overrides on top. Every problem in the file and
 * the overrides (unknown keys with suggestions, wrong types, refused features, inconsistent values) is reported
 * at once in one {@link ConfigException}.
 */
public final class ConfigLoader {
    /** System property / environment variable naming the installation directory that holds {@code conf/}. */
    public static final String HOME_PROPERTY = "dataflex.home";
    public static final String HOME_ENV = "DATAFLEX_HOME";

    private final Path workingDir;
    private final Path homeDir;
    private final BuildCapabilities capabilities;

    /**
     * @param workingDir   base of relative paths in the config and of the config path itself
     * @param homeDir      installation directory, searched for relative {@code components_cfg_file} paths that are
     *                     not found under the working directory
     * @param capabilities trainers and components this build implements
     */
    public ConfigLoader(Path workingDir, Path homeDir, BuildCapabilities capabilities) {
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.homeDir = homeDir.toAbsolutePath().normalize();
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
    }

    /** A loader for the current directory, the installation directory and the given build capabilities. */
    public static ConfigLoader forCurrentDirectory(BuildCapabilities capabilities) {
        Path cwd = Path.of("").toAbsolutePath();
        String home = System.getProperty(HOME_PROPERTY, System.getenv(HOME_ENV));
        return new ConfigLoader(cwd, home == null || home.isBlank() ? cwd : Path.of(home), capabilities);
    }

    /** Loads with paths relative to the current directory and the capabilities of this build (static only). */
    public static TrainArgs load(String path, List<String> overrides) {
        return forCurrentDirectory(BuildCapabilities.staticOnly()).loadConfig(path, overrides);
    }

    /** Reads, types and validates one config file plus {@code key=value} overrides (later overrides win). */
    public TrainArgs loadConfig(String path, List<String> overrides) {
        Path file = workingDir.resolve(path).normalize();
        Problems problems = new Problems(path);
        List<Setting> merged = merge(ConfigFileReader.read(file, path, problems),
                OverrideParser.parse(overrides, problems));

        SettingsClassifier classified = new SettingsClassifier(problems);
        classified.classify(merged);
        TrainArgsResolver resolver = new TrainArgsResolver(classified, problems, workingDir, homeDir, capabilities);
        resolver.resolve();
        problems.throwIfAny();

        List<String> notices = new ArrayList<>(classified.notices());
        notices.addAll(resolver.notices());
        return new TrainArgs(resolver.values(), notices, classified.sparkConf, file.toString(),
                resolver.component());
    }

    /** Overrides replace file values key by key; file order is kept so messages follow the file. */
    private static List<Setting> merge(List<Setting> fromFile, List<Setting> fromCommandLine) {
        Map<String, Setting> byKey = new LinkedHashMap<>();
        fromFile.forEach(setting -> byKey.put(setting.key(), setting));
        fromCommandLine.forEach(setting -> byKey.put(setting.key(), setting));
        return new ArrayList<>(byKey.values());
    }
}
