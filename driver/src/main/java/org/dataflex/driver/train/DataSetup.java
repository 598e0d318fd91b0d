package org.dataflex.driver.train;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.dataflex.datasets.DataRequest;
import org.dataflex.datasets.LoadedData;
import org.dataflex.datasets.TrainingData;
import org.dataflex.datasets.tokenizer.TextTokenizer;
import org.dataflex.driver.config.TrainArgs;

/** Loads the train or eval datasets named by a config through the datasets module. */
public final class DataSetup {
    private DataSetup() {}

    public static LoadedData load(SparkSession spark, TrainArgs args, List<String> datasets,
                                  TextTokenizer tokenizer) {
        DataRequest request = new DataRequest(datasets, args.datasetDir(), args.stage(), args.template(),
                args.cutoffLen(), args.maxSamples(), args.skipBadRows(), 0);
        return TrainingData.load(spark, request, tokenizer);
    }
}
