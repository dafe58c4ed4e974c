namespace DeepLearning.Tests.Training;

public class NetworkTest
{
    [Fact]
    public void Forward_FiveLayers_ShapesOfEveryHiddenLayer()
    {
        // x → h1 → h2 → h3 → y: four weight matrices between five layers of neurons.
        Network<double> network = new NetworkBuilder<double>(inputs: 4, seed: 1)
            .Dense(5, Activation.ReLU)
            .Dense(6, Activation.Tanh)
            .Dense(3, Activation.Sigmoid)
            .Dense(2)
            .Build();

        Tensor<double> y = network.Forward(new Tensor<double>(7, 4));

        network.Layers.Select(l => ((Dense<double>)l).Weights.RowCount + "×" + ((Dense<double>)l).Weights.ColumnCount)
            .Should().Equal("4×5", "5×6", "6×3", "3×2");
        network.Layers.Select(l => ((Dense<double>)l).Output!.Shape.ToString()).Should().Equal("7×5", "7×6", "7×3", "7×2");
        y.Shape.Should().Be(new TensorShape(7, 2));
        network.ParameterCount.Should().Be(25 + 36 + 21 + 8);
        network.ToString().Should().Be("Network<Double> 4→5→6→3→2");
    }

    [Fact]
    public void Summary_ListsLayersShapesAndParameterCounts()
    {
        Network<float> network = new NetworkBuilder<float>(784).Dense(30, Activation.Sigmoid).Dense(10, Activation.Sigmoid).Build();

        string summary = network.Summary();

        summary.Should().Contain("Dense(784→30)").And.Contain("784×30").And.Contain("23,550");
        summary.Should().Contain("Dense(30→10)").And.Contain("30×10").And.Contain("310");
        summary.Should().EndWith("Total parameters: 23,860");
    }

    [Fact]
    public void Constructor_LayersThatDoNotChain_NamesBothLayers()
    {
        Action act = () => _ = new Network<double>(new Dense<double>(784, 20), new Dense<double>(30, 10));

        act.Should().Throw<ArgumentException>()
            .WithMessage("Layer shapes do not chain: layer 2 Dense(30→10) expects 30, but layer 1 Dense(784→20) produces 20.*")
            .Which.ParamName.Should().Be("layers");
    }

    [Fact]
    public void Constructor_NoLayers_Throws()
    {
        Action act = () => _ = new Network<double>();

        act.Should().Throw<ArgumentException>().WithMessage("A network needs at least one layer.*");
        FluentActions.Invoking(() => new NetworkBuilder<double>(3).Build()).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Fit_Xor_LearnsAllFourCases()
    {
        var x = Tensor<double>.FromRows([0, 0], [0, 1], [1, 0], [1, 1]);
        var y = Tensor<double>.FromRows([0], [1], [1], [0]);
        Network<double> network = new NetworkBuilder<double>(2, seed: 3).Dense(8, Activation.Tanh).Dense(1).Build();

        TrainingHistory history = network.Fit(x, y, Loss.BinaryCrossEntropy, new GradientDescent(0.5), new TrainingOptions { Epochs = 1000, BatchSize = 4 });

        network.Predict(x).GetRow(0)[0].Should().BeLessThan(0.1);
        network.Evaluate(x, y, Loss.BinaryCrossEntropy).Accuracy.Should().Be(1);
        history.Epochs.Should().HaveCount(1000);
        history.Last!.TrainingLoss.Should().BeLessThan(history.Epochs[0].TrainingLoss / 10);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void Fit_StochasticMiniBatchAndBatch_LossDecreases(int batchSize)
    {
        (Tensor<double> x, Tensor<double> y) = Blobs(60, seed: 5);
        Network<double> network = new NetworkBuilder<double>(2, seed: 1).Dense(6, Activation.ReLU).Dense(3).Build();

        TrainingHistory history = network.Fit(x, y, Loss.CrossEntropy, new GradientDescent(0.1), new TrainingOptions { Epochs = 30, BatchSize = batchSize });

        history.Last!.TrainingLoss.Should().BeLessThan(history.Epochs[0].TrainingLoss * 0.7);
        network.Evaluate(x, y, Loss.CrossEntropy).Accuracy.Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void Fit_SameSeeds_BitIdenticalWeights()
    {
        (Tensor<float> x, Tensor<float> y) = Blobs<float>(50, seed: 2);

        float[] Train()
        {
            Network<float> network = new NetworkBuilder<float>(2, seed: 9).Dense(5, Activation.Sigmoid).Dense(3).Build();
            network.Fit(x, y, Loss.CrossEntropy, new GradientDescent(0.3, momentum: 0.9), new TrainingOptions { Epochs = 5, BatchSize = 8, Seed = 4 });
            return network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();
        }

        Train().Should().Equal(Train());
    }

    [Fact]
    public void Fit_ReportsEveryEpochWithValidation()
    {
        (Tensor<double> x, Tensor<double> y) = Blobs(30, seed: 1);
        Network<double> network = new NetworkBuilder<double>(2).Dense(3).Build();
        var reports = new List<EpochReport>();

        network.Fit(x, y, Loss.CrossEntropy, new GradientDescent(0.1), new TrainingOptions { Epochs = 3 }, (x, y), new SynchronousProgress(reports.Add));

        reports.Select(r => r.Epoch).Should().Equal(1, 2, 3);
        reports.Should().OnlyContain(r => r.ValidationAccuracy >= 0 && r.ValidationAccuracy <= 1 && r.ValidationLoss > 0);
        reports[0].ToString().Should().StartWith("epoch 1: loss ").And.Contain("validation accuracy");
    }

    [Fact]
    public void Fit_HugeLearningRate_StopsNamingEpochBatchAndSmallerLearningRate()
    {
        var x = Tensor<double>.FromRows([1e3, -1e3], [2e3, 5e2]);
        var y = Tensor<double>.FromRows([1], [-1]);
        Network<double> network = new NetworkBuilder<double>(2, seed: 1).Dense(4).Dense(1).Build();

        Action act = () => network.Fit(x, y, Loss.Quadratic, new GradientDescent(100), new TrainingOptions { Epochs = 50, BatchSize = 1, DivergenceFactor = null });

        act.Should().Throw<TrainingDivergedException>()
            .WithMessage("Training diverged in epoch *, batch *: the loss became *. The steps are too large; try a smaller learning rate than 100*")
            .Which.Epoch.Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public void Fit_LossStaysFarAboveItsStart_StopsWithTheDivergenceRule()
    {
        // Softmax + cross-entropy never gives NaN here: the loss just jumps far above the untrained network's and stays.
        var random = new Random(4);
        Tensor<double> x = Tensor<double>.FromRows([.. Enumerable.Range(0, 64).Select(_ => Enumerable.Range(0, 6).Select(_ => random.NextDouble()).ToArray())]);
        Tensor<double> y = Tensor<double>.OneHot([.. Enumerable.Range(0, 64).Select(i => i % 3)], 3);
        Network<double> network = new NetworkBuilder<double>(6, seed: 1).Dense(16, Activation.ReLU).Dense(3).Build();

        Action act = () => network.Fit(x, y, Loss.CrossEntropy, new GradientDescent(1000), new TrainingOptions { Epochs = 5, BatchSize = 8 });

        TrainingDivergedException e = act.Should().Throw<TrainingDivergedException>()
            .WithMessage("Training diverged in epoch 1: the mean training loss * is more than 3× the untrained network's *. The steps are too large; try a smaller learning rate than 1000 (for example 100).")
            .Which;
        e.Batch.Should().Be(0);
        e.InitialLoss.Should().BeInRange(0.5, 3);
        e.Loss.Should().BeGreaterThan(3 * e.InitialLoss!.Value);
    }

    [Fact]
    public void Fit_DivergenceRuleOff_TrainsOnThroughHighLoss()
    {
        var random = new Random(4);
        Tensor<double> x = Tensor<double>.FromRows([.. Enumerable.Range(0, 64).Select(_ => Enumerable.Range(0, 6).Select(_ => random.NextDouble()).ToArray())]);
        Tensor<double> y = Tensor<double>.OneHot([.. Enumerable.Range(0, 64).Select(i => i % 3)], 3);
        Network<double> network = new NetworkBuilder<double>(6, seed: 1).Dense(16, Activation.ReLU).Dense(3).Build();

        TrainingHistory history = network.Fit(x, y, Loss.CrossEntropy, new GradientDescent(1000), new TrainingOptions { Epochs = 2, BatchSize = 8, DivergenceFactor = null });

        history.Epochs.Should().HaveCount(2);
    }

    [Fact]
    public void Fit_GoodLearningRate_NeverTriggersTheDivergenceRule()
    {
        var x = Tensor<double>.FromRows([0, 0], [0, 1], [1, 0], [1, 1]);
        var y = Tensor<double>.FromRows([0], [1], [1], [0]);
        Network<double> network = new NetworkBuilder<double>(2, seed: 3).Dense(8, Activation.Tanh).Dense(1).Build();

        TrainingHistory history = network.Fit(x, y, Loss.BinaryCrossEntropy, new GradientDescent(0.5), new TrainingOptions { Epochs = 300, BatchSize = 1 });

        history.Epochs.Should().HaveCount(300);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    public void Fit_DivergenceFactorNotAboveOne_Throws(double factor)
    {
        Network<double> network = new NetworkBuilder<double>(2, seed: 1).Dense(1).Build();
        var x = Tensor<double>.FromRows([1, 2]);
        var y = Tensor<double>.FromRows([1]);

        Action act = () => network.Fit(x, y, Loss.Quadratic, new GradientDescent(0.1), new TrainingOptions { DivergenceFactor = factor });

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("options.DivergenceFactor must be greater than 1*");
    }

    [Fact]
    public void Fit_NoRows_ThrowsArgumentExceptionNotDivideByZero()
    {
        Network<double> network = new NetworkBuilder<double>(2, seed: 1).Dense(1).Build();
        var empty = new Tensor<double>(MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(0, 2));
        var targets = new Tensor<double>(MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(0, 1));

        Action act = () => network.Fit(empty, targets, Loss.Quadratic, new GradientDescent(0.1));

        act.Should().Throw<ArgumentException>().WithMessage("*inputs have no rows; there must be at least one sample.*");
    }

    [Fact]
    public void Fit_NaNInValidationData_ThrowsNamingIt()
    {
        Network<double> network = new NetworkBuilder<double>(2, seed: 1).Dense(1).Build();
        var x = Tensor<double>.FromRows([1, 2]);
        var y = Tensor<double>.FromRows([1]);
        var bad = Tensor<double>.FromRows([1, double.NaN]);

        Action act = () => network.Fit(x, y, Loss.Quadratic, new GradientDescent(0.1), validation: (bad, y));

        act.Should().Throw<ArgumentException>().WithMessage("validation.Inputs contains NaN at row 0, column 1*");
    }

    [Fact]
    public void Fit_NaNInInputs_NamesFirstBadElement()
    {
        var x = Tensor<double>.FromRows([1, 2], [3, double.NaN]);
        var y = Tensor<double>.FromRows([1], [0]);
        Network<double> network = new NetworkBuilder<double>(2).Dense(1).Build();

        Action act = () => network.Fit(x, y, Loss.Quadratic, new GradientDescent(0.1));

        act.Should().Throw<ArgumentException>().WithMessage("inputs contains NaN at row 1, column 1*");
    }

    [Fact]
    public void Fit_InfinityInTargets_NamesFirstBadElement()
    {
        var x = Tensor<double>.FromRows([1, 2], [3, 4]);
        var y = Tensor<double>.FromRows([double.PositiveInfinity], [0]);
        Network<double> network = new NetworkBuilder<double>(2).Dense(1).Build();

        Action act = () => network.Fit(x, y, Loss.Quadratic, new GradientDescent(0.1));

        act.Should().Throw<ArgumentException>().WithMessage("targets contains Infinity at row 0, column 0*");
    }

    [Theory]
    [InlineData(-1, 32, "Epochs")]
    [InlineData(1, 0, "BatchSize")]
    public void Fit_InvalidOptions_NamesOption(int epochs, int batchSize, string parameter)
    {
        Network<double> network = new NetworkBuilder<double>(1).Dense(1).Build();

        Action act = () => network.Fit(Tensor<double>.FromRow(1.0), Tensor<double>.FromRow(1.0), Loss.Quadratic, new GradientDescent(0.1),
            new TrainingOptions { Epochs = epochs, BatchSize = batchSize });

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"{parameter} must be*").Which.ParamName.Should().Be(parameter);
    }

    [Fact]
    public void Fit_TargetRowsDifferFromInputRows_SaysOneTargetPerSample()
    {
        Network<double> network = new NetworkBuilder<double>(2).Dense(3).Build();

        Action act = () => network.Fit(new Tensor<double>(5, 2), new Tensor<double>(4, 3), Loss.Quadratic, new GradientDescent(0.1));

        act.Should().Throw<ArgumentException>()
            .WithMessage("Network<Double> 2→3.Fit: targets have shape 4×3, expected 5×3. There must be one target row per input row*");
    }

    [Fact]
    public void Fit_Cancelled_Throws()
    {
        (Tensor<double> x, Tensor<double> y) = Blobs(30, seed: 1);
        Network<double> network = new NetworkBuilder<double>(2).Dense(3).Build();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Action act = () => network.Fit(x, y, Loss.CrossEntropy, new GradientDescent(0.1), cancellationToken: cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void PredictAndEvaluate_MoreSamplesThanOneBatch_SameAsOneForward()
    {
        (Tensor<double> x, Tensor<double> y) = Blobs(2500, seed: 3);
        Network<double> network = new NetworkBuilder<double>(2, seed: 2).Dense(4, Activation.Tanh).Dense(3).Build();

        Tensor<double> predicted = network.Predict(x);
        int[] classes = network.PredictClasses(x);
        Evaluation evaluation = network.Evaluate(x, y, Loss.CrossEntropy);
        Tensor<double> whole = network.Forward(x);

        predicted.ToArray().Should().BeEquivalentTo(whole.ToArray());
        classes.Should().Equal(whole.ArgMaxPerRow());
        evaluation.Loss.Should().BeApproximately(Loss.CrossEntropy.Value(whole, y), 1e-12);
        evaluation.Samples.Should().Be(2500);
    }

    [Fact]
    public void Predict_AfterFitWithCrossEntropy_GivesProbabilities_OutputsGivesLogits()
    {
        (Tensor<double> x, Tensor<double> y) = Blobs<double>(30, seed: 2);
        Network<double> network = new NetworkBuilder<double>(2, seed: 1).Dense(4, Activation.Tanh).Dense(3).Build();
        network.Loss.Should().BeNull();

        network.Fit(x, y, Loss.CrossEntropy, new GradientDescent(0.1), new TrainingOptions { Epochs = 2 });
        Tensor<double> probabilities = network.Predict(x), logits = network.Outputs(x);

        network.Loss.Should().BeSameAs(Loss.CrossEntropy, "Fit records the loss it trains with");
        probabilities.ToArray().Should().BeEquivalentTo(network.Predict(x, Loss.CrossEntropy).ToArray());
        Enumerable.Range(0, 30).Select(i => probabilities.GetRow(i).Sum()).Should().AllSatisfy(s => s.Should().BeApproximately(1, 1e-12));
        logits.ToArray().Should().BeEquivalentTo(network.Forward(x).ToArray());
    }

    [Fact]
    public void Build_WithALoss_ThePredictionsAreItsHeads()
    {
        Network<double> network = new NetworkBuilder<double>(2, seed: 1).Dense(3).Build(Loss.BinaryCrossEntropy);
        var x = Tensor<double>.FromRows([1, -2]);

        network.Predict(x).GetRow(0).Should().Equal(network.Outputs(x).GetRow(0).Select(z => 1 / (1 + Math.Exp(-z))));
    }

    [Fact]
    public void Builder_ImageInput_SpecsChainAndTheSummaryShowsShapes()
    {
        Network<float> network = new NetworkBuilder<float>(new FeatureShape(1, 4, 4), seed: 1).Add("dense(5, relu)").Add("dropout(0.5)").Add("dense(2)").Build();

        network.ToString().Should().Be("Network<Single> 1×4×4→5→5→2");
        network.Summary().Should().Contain("m×5").And.Contain("Dropout(0.5)");
        Action act = () => new NetworkBuilder<float>(FeatureShape.Flat(3)).Add(new Dense<float>(4, 2));
        act.Should().Throw<ArgumentException>().WithMessage("Dense(4→2) expects 4, but the network so far produces 3.*");
    }

    [Fact]
    public void Predict_WrongColumns_NamesNetworkAndShape()
    {
        Network<double> network = new NetworkBuilder<double>(3).Dense(2).Build();

        Action act = () => network.Predict(new Tensor<double>(4, 5));

        act.Should().Throw<ArgumentException>().WithMessage("Network<Double> 3→2.Outputs: inputs has 5 columns, expected 3*");
    }

    /// <summary>Three Gaussian blobs in the plane, one per class, with one-hot targets.</summary>
    internal static (Tensor<T> X, Tensor<T> Y) Blobs<T>(int count, int seed)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        double[][] centres = [[2, 0], [-1, 1.7], [-1, -1.7]];
        var x = new Tensor<T>(count, 2);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 3;
            x[i, 0] = T.CreateChecked(centres[labels[i]][0] + (0.5 * ((random.NextDouble() * 2) - 1)));
            x[i, 1] = T.CreateChecked(centres[labels[i]][1] + (0.5 * ((random.NextDouble() * 2) - 1)));
        }

        return (x, Tensor<T>.OneHot(labels, 3));
    }

    [Fact]
    public void Fit_CrossEntropyOverOneOutput_RefusedBecauseItIsAlwaysZero()
    {
        Network<double> network = new NetworkBuilder<double>(2, seed: 1).Dense(1).Build(Loss.CrossEntropy);

        Action act = () => network.Fit(Tensor<double>.FromRows([1, 2], [3, 4]), Tensor<double>.FromRows([1], [0]), Loss.CrossEntropy, new GradientDescent(0.1), new TrainingOptions { Epochs = 1 });

        act.Should().Throw<ArgumentException>().WithMessage("*.Fit: cross_entropy over one output is always 0 (the softmax of one value is 1), so nothing can be learned; give the network an output per class, or use binary_cross_entropy with one sigmoid output for two classes.*");
    }

    [Theory]
    [InlineData(1e30)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void FitAndEvaluate_CrossEntropyTargetThatIsNoProbability_NamedWithItsRowAndColumn(double value)
    {
        (Tensor<double> x, Tensor<double> y) = Blobs(12, 1);
        y[5, 2] = value;
        Network<double> network = new NetworkBuilder<double>(2, seed: 1).Dense(3).Build(Loss.CrossEntropy);

        Action fit = () => network.Fit(x, y, Loss.CrossEntropy, new GradientDescent(0.1), new TrainingOptions { Epochs = 1 });
        Action evaluate = () => network.Evaluate(x, y, Loss.CrossEntropy);

        string message = $"*: target row 5, column 2 is {Preconditions.Format(value)}; cross_entropy's targets are probabilities from 0 to 1 (one-hot rows).*";
        fit.Should().Throw<ArgumentException>().WithMessage(message);
        evaluate.Should().Throw<ArgumentException>().WithMessage(message);
        y[5, 2] = 0.25;
        y[5, 0] = 0.75;
        network.Evaluate(x, y, Loss.CrossEntropy).Loss.Should().BeGreaterThan(0, "soft labels within [0, 1] are taken");
    }

    private static (Tensor<double> X, Tensor<double> Y) Blobs(int count, int seed) => Blobs<double>(count, seed);

    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
