using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DeepLearning.Clipping;
using DeepLearning.Layers;
using DeepLearning.Schedules;
using DeepLearning.Serialization;

namespace DeepLearning.Tests.Training;

/// <summary>The training loop you can steer: schedules, clipping, AdamW, checkpoints and resume, callbacks.</summary>
public class TrainingLoopTest
{
    public static TheoryData<string, string> ScheduleConfigurations => new()
    {
        { "constant", "None" },
        { "step(2, 0.5)", "torch.optim.lr_scheduler.StepLR(opt, step_size=2 * 3, gamma=0.5)" },
        { "warmup(4)", "torch.optim.lr_scheduler.LinearLR(opt, start_factor=1 / 4, end_factor=1.0, total_iters=4)" },
        { "cosine", "torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=15)" },
        { "cosine(warmup=4, min=0.1)", "torch.optim.lr_scheduler.SequentialLR(opt, [torch.optim.lr_scheduler.LinearLR(opt, start_factor=1 / 4, end_factor=1.0, total_iters=4), torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=11, eta_min=0.1 * 0.2)], milestones=[4])" },
    };

    [SkippableTheory]
    [MemberData(nameof(ScheduleConfigurations))]
    public void Schedule_LearningRateOfEveryStep_MatchesPyTorchsScheduler(string spec, string torchScheduler)
    {
        // 5 epochs of 3 steps at ε = 0.2. StepLR counts epochs: stepped per batch, its step_size is 2 epochs × 3 steps.
        PyTorch.SkipUnlessInstalled();
        ISchedule schedule = Registries.Schedules.Create(spec);
        double[] ours = [.. Enumerable.Range(0, 15).Select(t => schedule.LearningRate(0.2, new ScheduleProgress(t, 3, 15)))];

        (int code, string output) = PyTorch.Run("-c", $$"""
            import json, warnings, torch
            warnings.filterwarnings("ignore")
            w = torch.nn.Parameter(torch.zeros(1))
            opt = torch.optim.SGD([w], lr=0.2)
            scheduler = {{torchScheduler}}
            rates = []
            for step in range(15):
                rates.append(opt.param_groups[0]["lr"])
                opt.step()
                if scheduler is not None:
                    scheduler.step()
            print(json.dumps(rates))
            """);

        code.Should().Be(0, output);
        TorchParity.AssertClose(ours, JsonDocument.Parse(output).RootElement, 1e-12, $"{spec}'s learning rate");
    }

    [Fact]
    public void Cosine_ByHand_FallsFromEpsilonToTheFloorAlongHalfACosine()
    {
        var cosine = new Cosine(warmup: 0, minimum: 0.5);

        cosine.LearningRate(1, new ScheduleProgress(0, 10, 10)).Should().Be(1);
        cosine.LearningRate(1, new ScheduleProgress(5, 10, 10)).Should().BeApproximately(0.75, 1e-15, "half way: (1 + cos(π/2))/2 of the way from 0.5 to 1");
        cosine.LearningRate(1, new ScheduleProgress(10, 10, 10)).Should().BeApproximately(0.5, 1e-15);
        cosine.Spec.Should().Be("cosine(0, 0.5)");
        Registries.Schedules.Create(cosine.Spec).Spec.Should().Be(cosine.Spec);
    }

    [SkippableTheory]
    [InlineData("norm(1)", "torch.nn.utils.clip_grad_norm_([a, b], 1.0)")]
    [InlineData("norm(100)", "torch.nn.utils.clip_grad_norm_([a, b], 100.0)")]
    [InlineData("value(0.3)", "torch.nn.utils.clip_grad_value_([a, b], 0.3)")]
    public void Clipping_MatchesPyTorch(string spec, string torchCall)
    {
        PyTorch.SkipUnlessInstalled();
        var dense = new Dense<double>(3, 2);
        double[] weights = [0.9, -1.4, 0.25, 2.0, -0.7, 0.05], bias = [1.5, -0.45];
        weights.CopyTo(dense.Parameters[0].Gradients);
        bias.CopyTo(dense.Parameters[1].Gradients);

        double norm = Registries.Clipping.Create(spec).Clip<double>(dense.Parameters);

        (int code, string output) = PyTorch.Run("-c", $$"""
            import json, torch
            a = torch.zeros(6, dtype=torch.float64, requires_grad=True)
            b = torch.zeros(2, dtype=torch.float64, requires_grad=True)
            a.grad = torch.tensor({{JsonSerializer.Serialize(weights)}}, dtype=torch.float64)
            b.grad = torch.tensor({{JsonSerializer.Serialize(bias)}}, dtype=torch.float64)
            {{torchCall}}
            print(json.dumps(a.grad.tolist() + b.grad.tolist()))
            """);

        code.Should().Be(0, output);
        TorchParity.AssertClose([.. dense.Parameters[0].Gradients.ToArray(), .. dense.Parameters[1].Gradients.ToArray()], JsonDocument.Parse(output).RootElement, 1e-14, spec);
        norm.Should().BeApproximately(Math.Sqrt(weights.Concat(bias).Sum(g => g * g)), 1e-12);
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void AdamW_WithASchedule_MatchesTorchOptimAdamW_WeightsDecayBiasesNot(bool useFloat)
    {
        PyTorch.SkipUnlessInstalled();
        if (useFloat)
        {
            CompareAdamW<float>(1e-6);
        }
        else
        {
            CompareAdamW<double>(1e-13);
        }
    }

    [Fact]
    public void Resume_TwoEpochsSavedThenTwoMore_BitIdenticalToFourStraight()
    {
        // Dropout (its masks follow its pass count), batch norm (running averages), Adam (m, v, t), a warm-up schedule and
        // clipping: everything a resumed run must take up where it stopped.
        using var dir = new TempDirectory();
        (Tensor<float> x, Tensor<float> y, Tensor<float> testX, Tensor<float> testY) = Data();
        TrainingOptions options = Options() with { Epochs = 4 };
        Network<float> straight = Build();
        TrainingHistory all = straight.Fit(x, y, Loss.CrossEntropy, new Adam(0.01), options, (testX, testY));

        Network<float> first = Build();
        var adam = new Adam(0.01);
        TrainingHistory half = first.Fit(x, y, Loss.CrossEntropy, adam, options with { Epochs = 2 }, (testX, testY));
        ModelFile.Save(first, dir.File("run.dlnn"), new Checkpoint(adam, half.Progress, new Arguments(("batch_size", "16"))));
        (Network<float> resumed, Checkpoint? checkpoint) = ModelFile.LoadCheckpoint<float>(dir.File("run.dlnn"));
        TrainingHistory rest = resumed.Fit(x, y, Loss.CrossEntropy, checkpoint!.Optimizer, options with { Resume = checkpoint.Progress }, (testX, testY));

        checkpoint.Settings.Get("batch_size").Should().Be("16");
        checkpoint.Progress.Should().Be(half.Progress);
        rest.Epochs.Select(e => e.Epoch).Should().Equal(3, 4);
        rest.Epochs.Select(e => (e.TrainingLoss, e.ValidationLoss)).Should().Equal(all.Epochs.Skip(2).Select(e => (e.TrainingLoss, e.ValidationLoss)));
        resumed.Parameters.SelectMany(p => p.Values.ToArray()).Should().Equal(straight.Parameters.SelectMany(p => p.Values.ToArray()), "bit for bit");
        resumed.State.SelectMany(p => p.Values.ToArray()).Should().Equal(straight.State.SelectMany(p => p.Values.ToArray()));
        rest.Progress.Should().Be(all.Progress);
    }

    [Fact]
    public void Checkpoint_ModelSavedWithout_LoadsWithNone_AndLoadStillReadsACheckpointFile()
    {
        using var dir = new TempDirectory();
        Network<float> network = Build();
        ModelFile.Save(network, dir.File("plain.dlnn"));
        ModelFile.Save(network, dir.File("checkpoint.dlnn"), new Checkpoint(new GradientDescent(0.1, 0.9), new TrainingProgress(0, 0, double.NaN)));

        ModelFile.LoadCheckpoint<float>(dir.File("plain.dlnn")).Checkpoint.Should().BeNull();
        ModelFile.Load<float>(dir.File("checkpoint.dlnn")).ParameterCount.Should().Be(network.ParameterCount);
        ModelFile.LoadCheckpoint<float>(dir.File("checkpoint.dlnn")).Checkpoint!.Optimizer.Spec.Should().Be("gradient_descent(0.1, 0.9)");
    }

    [Fact]
    public void Checkpoint_OptimizerThatCannotExportItsState_RefusedBeforeAnythingIsWritten()
    {
        using var dir = new TempDirectory();
        Network<float> network = Build();

        Action act = () => ModelFile.Save(network, dir.File("run.dlnn"), new Checkpoint(new Silent(), new TrainingProgress(1, 5, 1)));

        act.Should().Throw<NotSupportedException>().WithMessage("*does not read back from the optimizer registry*");
        Directory.GetFileSystemEntries(dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void Schedule_WithAnOptimizerThatTakesNoRatePerStep_SaysSo()
    {
        Network<float> network = Build();
        (Tensor<float> x, Tensor<float> y, _, _) = Data();

        Action act = () => network.Fit(x, y, Loss.CrossEntropy, new Silent(), new TrainingOptions { Epochs = 1, Schedule = new Warmup(10) });

        act.Should().Throw<NotSupportedException>().WithMessage("Silent does not take a learning rate per step, so it cannot follow a schedule*");
    }

    [Fact]
    public void EarlyStopping_StopsWhenTheValidationLossStopsImproving_AndSaysWhy()
    {
        // A tiny training set learned by heart: the validation loss soon rises.
        (Tensor<float> x, Tensor<float> y, Tensor<float> testX, Tensor<float> testY) = Data();
        Network<float> network = new NetworkBuilder<float>(12, seed: 1).Dense(64, Activation.ReLU).Dense(3).Build();
        var stopping = new EarlyStopping(patience: 2);

        TrainingHistory history = network.Fit(x.Slice(0, 12), y.Slice(0, 12), Loss.CrossEntropy, new Adam(0.05), new TrainingOptions { Epochs = 200, BatchSize = 4, Callbacks = [stopping], DivergenceFactor = null }, (testX, testY));

        history.Epochs.Count.Should().BeLessThan(200);
        history.StopReason.Should().Be($"the validation loss has not improved for 2 epochs (best: epoch {stopping.BestEpoch})");
        history.Epochs.Count.Should().Be(stopping.BestEpoch + 2);
        history.ToString().Should().EndWith($"stopped early: {history.StopReason}");
    }

    [Fact]
    public void EpochReport_RecordsTheScheduledLearningRate()
    {
        (Tensor<float> x, Tensor<float> y, _, _) = Data();
        Network<float> network = Build();

        TrainingHistory history = network.Fit(x, y, Loss.CrossEntropy, new GradientDescent(0.1), new TrainingOptions { Epochs = 2, BatchSize = 40, Schedule = new StepDecay(1, 0.5) });

        history.Epochs.Select(e => e.LearningRate).Should().Equal(0.1, 0.05);
    }

    private static void CompareAdamW<T>(double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        var dense = new Dense<T>(2, 3, random: new Random(4));
        double[] w0 = TorchParity.Values<T>(dense.Parameters[0].Values).ToArray(), b0 = TorchParity.Values<T>(dense.Parameters[1].Values).ToArray();
        var optimizer = new AdamW(0.05, weightDecay: 0.1);
        var schedule = new Cosine(warmup: 2);
        var gradients = new List<double[]>();
        for (int t = 0; t < 6; t++)
        {
            double[] g = [.. Enumerable.Range(0, 9).Select(i => Math.Sin((t * 3.1) + i))];
            gradients.Add(g);
            for (int i = 0; i < 6; i++)
            {
                dense.Parameters[0].Gradients[i] = T.CreateChecked(g[i]);
            }

            for (int i = 0; i < 3; i++)
            {
                dense.Parameters[1].Gradients[i] = T.CreateChecked(g[6 + i]);
            }

            optimizer.Step(dense.Parameters, schedule.LearningRate(0.05, new ScheduleProgress(t, 6, 6)));
        }

        string dtype = typeof(T) == typeof(float) ? "torch.float32" : "torch.float64";
        (int code, string output) = PyTorch.Run("-c", $$"""
            import json, warnings, torch
            warnings.filterwarnings("ignore")
            w = torch.nn.Parameter(torch.tensor({{JsonSerializer.Serialize(w0)}}, dtype={{dtype}}))
            b = torch.nn.Parameter(torch.tensor({{JsonSerializer.Serialize(b0)}}, dtype={{dtype}}))
            opt = torch.optim.AdamW([{"params": [w], "weight_decay": 0.1}, {"params": [b], "weight_decay": 0.0}], lr=0.05)
            warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1 / 2, end_factor=1.0, total_iters=2)
            cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
            scheduler = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[2])
            for g in {{JsonSerializer.Serialize(gradients)}}:
                w.grad = torch.tensor(g[:6], dtype={{dtype}})
                b.grad = torch.tensor(g[6:], dtype={{dtype}})
                opt.step()
                scheduler.step()
            print(json.dumps([float(v) for v in w.detach()] + [float(v) for v in b.detach()]))
            """);
        code.Should().Be(0, output);
        TorchParity.AssertClose([.. TorchParity.Values<T>(dense.Parameters[0].Values), .. TorchParity.Values<T>(dense.Parameters[1].Values)], JsonDocument.Parse(output).RootElement, tolerance, "weights after 6 steps");
    }

    private static (Tensor<float> X, Tensor<float> Y, Tensor<float> TestX, Tensor<float> TestY) Data()
    {
        Tensor<float> x = TorchParity.Random<float>(80, 12, 1), testX = TorchParity.Random<float>(30, 12, 2);
        Tensor<float> Labels(Tensor<float> inputs) => Tensor<float>.OneHot([.. Enumerable.Range(0, inputs.Rows).Select(i => (inputs[i, 0] + inputs[i, 1] > 0 ? 1 : 0) + (inputs[i, 2] > 0.25 ? 1 : 0))], 3);
        return (x, Labels(x), testX, Labels(testX));
    }

    private static Network<float> Build()
        => new NetworkBuilder<float>(12, seed: 7).Add("dense(16)").Add("batch_norm").Add("relu").Add("dropout(0.3)").Add("dense(3)").Build(Loss.CrossEntropy);

    private static TrainingOptions Options() => new() { BatchSize = 16, Seed = 3, Schedule = new Warmup(7), Clipping = new ClipNorm(1) };

    /// <summary>An optimizer from before schedules: it knows only Step(parameters), and keeps a velocity it does not export.</summary>
    private sealed class Silent : DeepLearning.Optimizers.IOptimizer
    {
        public double LearningRate => 0.1;

        public int StatePerValue => 1;

        public string Spec => "silent";

        public void Step<T>(IReadOnlyList<Parameter<T>> parameters)
            where T : struct, IFloatingPointIeee754<T>
        {
        }
    }
}
