namespace DeepLearning.Tests.Optimizers;

/// <summary>The one-weight example every reader meets first: x = 2, w = 5, label 6, quadratic loss, ε = 0.1.</summary>
public class GradientDescentTest
{
    private static readonly Tensor<double> X = Tensor<double>.FromRow(2.0);
    private static readonly Tensor<double> Label = Tensor<double>.FromRow(6.0);

    [Fact]
    public void WorkedExample_BeforeTheStep_Prediction10Loss8Gradient8()
    {
        (Network<double> network, Dense<double> layer) = OneWeight();

        double loss = network.ComputeGradients(X, Label, Loss.Quadratic);

        network.Predict(X)[0, 0].Should().Be(10);
        loss.Should().Be(8);
        layer.WeightGradient[0, 0].Should().Be(8); // (w·x − ŷ)·x = (10 − 6)·2
    }

    [Fact]
    public void WorkedExample_OneStep_WeightIs4Point2Prediction8Point4Loss2Point88()
    {
        (Network<double> network, Dense<double> layer) = OneWeight();
        var optimizer = new GradientDescent(learningRate: 0.1);

        network.ComputeGradients(X, Label, Loss.Quadratic);
        optimizer.Step(network.Parameters);

        layer.Weights[0, 0].Should().BeApproximately(4.2, 1e-15);
        network.Predict(X)[0, 0].Should().BeApproximately(8.4, 1e-14);
        Loss.Quadratic.Value(network.Predict(X), Label).Should().BeApproximately(2.88, 1e-13);
    }

    [Fact]
    public void WorkedExample_RepeatedSteps_ConvergeToThree()
    {
        (Network<double> network, Dense<double> layer) = OneWeight();
        var optimizer = new GradientDescent(learningRate: 0.1);

        // Each step multiplies the distance to the optimum by (1 − ε·x²) = 0.6.
        var weights = new List<double>();
        for (int step = 0; step < 60; step++)
        {
            network.ComputeGradients(X, Label, Loss.Quadratic);
            optimizer.Step(network.Parameters);
            weights.Add(layer.Weights[0, 0]);
        }

        weights[0].Should().BeApproximately(4.2, 1e-12);
        weights[1].Should().BeApproximately(3.72, 1e-12);
        weights.Should().BeInDescendingOrder();
        weights[^1].Should().BeApproximately(3, 1e-12);
    }

    [Fact]
    public void WorkedExample_ThroughFit_SameWalk()
    {
        (Network<double> network, Dense<double> layer) = OneWeight();

        TrainingHistory history = network.Fit(X, Label, Loss.Quadratic, new GradientDescent(0.1), new TrainingOptions { Epochs = 2, BatchSize = 1 });

        history.Epochs.Select(e => e.TrainingLoss).Should().Equal([8, 2.88], (a, b) => Math.Abs(a - b) < 1e-12);
        layer.Weights[0, 0].Should().BeApproximately(3.72, 1e-12);
    }

    [Fact]
    public void Step_WithMomentum_KeepsVelocity()
    {
        (Network<double> network, Dense<double> layer) = OneWeight();
        var optimizer = new GradientDescent(0.1, momentum: 0.5);

        network.ComputeGradients(X, Label, Loss.Quadratic);
        optimizer.Step(network.Parameters); // v = −0.8, w = 4.2
        network.ComputeGradients(X, Label, Loss.Quadratic); // gradient (8.4 − 6)·2 = 4.8
        optimizer.Step(network.Parameters); // v = 0.5·(−0.8) − 0.48 = −0.88, w = 3.32

        layer.Weights[0, 0].Should().BeApproximately(3.32, 1e-12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_InvalidLearningRate_NamesParameter(double learningRate)
    {
        Action act = () => _ = new GradientDescent(learningRate);

        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("learningRate must be a positive finite number*").Which.ParamName.Should().Be("learningRate");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1)]
    public void Constructor_InvalidMomentum_NamesParameter(double momentum)
    {
        Action act = () => _ = new GradientDescent(0.1, momentum);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("momentum");
    }

    private static (Network<double> Network, Dense<double> Layer) OneWeight()
    {
        var layer = new Dense<double>(1, 1, Activation.Identity, useBias: false);
        layer.Weights[0, 0] = 5;
        return (new Network<double>(layer), layer);
    }
}
