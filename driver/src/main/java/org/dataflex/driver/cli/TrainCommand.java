package org.dataflex.driver.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.dataflex.driver.config.ConfigLoader;
import org.dataflex.driver.config.TrainArgs;
import org.dataflex.driver.spark.SparkSessions;
import org.dataflex.driver.train.Trainer;

/** {@code dataflex train CONFIG [key=value ...]}. */
final class TrainCommand {
    private TrainCommand() {}

    static int run(List<String> argv, PrintStream out) {
        if (argv.isEmpty()) throw new UsageException("train needs a config file\n" + DataflexCli.USAGE);
        List<String> overrides = new ArrayList<>(argv.subList(1, argv.size()));
        TrainArgs args = ConfigLoader.forCurrentDirectory(BuiltComponents.capabilities()).loadConfig(argv.get(0),
                overrides);
        args.notices().forEach(n -> out.println("[dataflex] note: " + n));
        if (!args.doTrain()) {
            throw new UsageException("do_train: false leaves nothing for `dataflex train` to do; evaluate with "
                    + "`dataflex eval --checkpoint DIR` or `--model DIR`");
        }
        SparkSession spark = SparkSessions.getOrCreate("dataflex train " + argv.get(0), args.sparkConf());
        switch (args.trainType()) {
            case "static":
                new Trainer(args, spark, out).train(Trainer::staticSchedule);
                return 0;
            case "dynamic_select":
                new Trainer(args, spark, out).train(Trainer::selectSchedule);
                return 0;
            default:
                throw new UsageException("train_type " + args.trainType() + " is not available in this build; "
                        + "available: static, dynamic_select");
        }
    }
}
