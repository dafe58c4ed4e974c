using DeepLearning.Optimizers;
using DeepLearning.Regularization;
using DigitTrainer;

namespace DeepLearning.Tests.Samples;

/// <summary>Every option of the trainer, parsed by System.CommandLine from its one declaration.</summary>
public class TrainerOptionsTest
{
    [Fact]
    public void Parse_EveryOption_SetsItsField()
    {
        TrainerOptions o = TrainerOptions.Parse([
            "--data", "/d", "--cache", "/c", "--offline", "--mirror", "http://a/", "--mirror", "https://b/x", "--train-limit", "500",
            "--hidden", "300,100", "--activation", "leaky_relu(0.1)", "--loss", "mse", "--init", "he", "--optimizer", "sgd",
            "--regularizer", "l2(5)", "--learning-rate", "0.3", "--momentum", "0.5", "--batch-size", "32", "--epochs", "7", "--seed", "-4",
            "--double", "--backend", "managed", "--save", "m.safetensors", "--export-onnx", "m.onnx", "--plot", "p.png", "--report", "r.json",
            "--show", "0"]);

        (o.DataDirectory, o.CacheDirectory, o.Offline, o.TrainLimit).Should().Be(("/d", "/c", true, 500));
        o.Mirrors.Select(u => u.ToString()).Should().Equal("http://a/", "https://b/x/");
        o.Hidden.Should().Equal(300, 100);
        o.Activation.Spec.Should().Be("leaky_relu(0.1)");
        o.Loss.Spec.Should().Be("mse");
        o.Init.Should().Be("he");
        o.CreateOptimizer().Spec.Should().Be("gradient_descent(0.3, 0.5)", "--learning-rate and --momentum are the optimizer's lr and momentum");
        o.LayerSpecs().Should().Equal("dense(300, leaky_relu(0.1), init=he_normal)", "dense(100, leaky_relu(0.1), init=he_normal)", "dense(10, sigmoid, init=he_normal)");
        o.Regularizer.Should().BeOfType<L2>().Which.Lambda.Should().Be(5);
        (o.LearningRate, o.Momentum, o.BatchSize, o.Epochs, o.Seed, o.UseDouble, o.Backend).Should().Be((0.3, 0.5, 32, 7, -4, true, "managed"));
        (o.SavePath, o.OnnxPath, o.PlotPath, o.ReportPath, o.Show).Should().Be(("m.safetensors", "m.onnx", "p.png", "r.json", 0));
    }

    [Fact]
    public void Parse_Nothing_GivesTheDocumentedDefaults()
    {
        TrainerOptions o = TrainerOptions.Parse([]);

        o.Hidden.Should().Equal(800);
        o.LayerSpecs().Should().Equal("dense(800, relu)", "dense(10, identity)");
        (o.Activation.Spec, o.Loss.Spec, o.Init, o.BatchSize, o.Epochs, o.Seed, o.Show)
            .Should().Be(("relu", "cross_entropy", "auto", 64, 10, 1, 3));
        (o.UseDouble, o.Offline, o.Regularizer).Should().Be((false, false, (IRegularizer?)null));
        o.CreateOptimizer().Spec.Should().Be("gradient_descent(0.05, 0.9)", "the default optimizer: lr 0.05 and momentum 0.9 with cross-entropy");
    }

    [Theory]
    [InlineData("predict", "--model", "m.dlnn", "--index", "3")]
    [InlineData("predict", "--model", "m.dlnn", "--image", "seven.png")]
    [InlineData("evaluate", "--model", "m.safetensors")]
    public void Parse_Modes(params string[] args)
    {
        TrainerOptions o = TrainerOptions.Parse(args);

        (o.Predict || o.Evaluate).Should().BeTrue();
        o.ModelPath.Should().Be(args[2]);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public void Parse_Help_AskedForInAnyForm(string flag) => TrainerOptions.Parse([flag]).ShowHelp.Should().BeTrue();

    [Theory]
    [InlineData(new[] { "--batch-size", "0" }, "--batch-size '0': expected a whole number of at least 1.")]
    [InlineData(new[] { "--momentum", "1" }, "--momentum '1': expected a number in [0, 1), such as 0.9.")]
    [InlineData(new[] { "--init", "magic" }, "--init: unknown initializer 'magic'; expected auto or one of *.")]
    [InlineData(new[] { "--bias-init", "he_nrmal" }, "--bias-init: unknown initializer 'he_nrmal' (did you mean he_normal?); expected one of *.")]
    [InlineData(new[] { "--backend", "gpu" }, "--backend 'gpu': expected auto, native or managed.")]
    [InlineData(new[] { "--regularizer", "l3" }, "--regularizer: unknown regularizer 'l3' (did you mean l2?); expected one of l2.")]
    [InlineData(new[] { "--seed" }, "Required argument missing for option: '--seed' (see --help).")]
    [InlineData(new[] { "evaluate" }, "evaluate needs --model FILE (a .dlnn or .safetensors model).")]
    public void Parse_BadValue_OneLineNamingTheOption(string[] args, string message)
    {
        Action act = () => TrainerOptions.Parse(args);

        act.Should().Throw<UsageException>().Which.Message.Should().Match(message);
    }
}
