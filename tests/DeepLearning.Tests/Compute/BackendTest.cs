using DeepLearning.Compute;
using DeepLearning.Regularization;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLearning.Tests.Compute;

public class BackendTest
{
    /// <summary>The backends present on this machine: managed always, native when a BLAS is installed.</summary>
    public static TheoryData<BackendKind> Kinds => Backend.Native is null ? new() { BackendKind.Managed } : new() { BackendKind.Managed, BackendKind.Native };

    [Fact]
    public void Choose_Managed_IsManagedWithoutWarning()
    {
        using var warnings = new StringWriter();

        Backend.Choose("managed", warnings, () => throw new InvalidOperationException("native must not be touched")).Should().BeSameAs(Backend.Managed);

        warnings.ToString().Should().BeEmpty();
    }

    [Fact]
    public void Choose_NativeAskedButMissing_OneWarningLineAndManaged()
    {
        using var warnings = new StringWriter();

        LinearAlgebraBackend chosen = Backend.Choose("native", warnings, () => null);

        chosen.Should().BeSameAs(Backend.Managed);
        warnings.ToString().TrimEnd().Split('\n').Should().ContainSingle()
            .Which.Should().StartWith("warning: DEEPLEARNING_BACKEND=native but no usable native BLAS was found");
    }

    [Fact]
    public void Choose_AutoWithoutNative_ManagedSilently()
    {
        using var warnings = new StringWriter();

        Backend.Choose(null, warnings, () => null).Should().BeSameAs(Backend.Managed);
        Backend.Choose("auto", warnings, () => null).Should().BeSameAs(Backend.Managed);

        warnings.ToString().Should().BeEmpty();
    }

    [Fact]
    public void Choose_UnknownSetting_WarnsAndUsesAuto()
    {
        using var warnings = new StringWriter();

        Backend.Choose("g\npu", warnings, () => null).Should().BeSameAs(Backend.Managed);

        warnings.ToString().TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Be(
            "warning: DEEPLEARNING_BACKEND='g?pu' is not managed, native or auto; using auto (the managed backend).");
    }

    [Fact]
    public void TryLoad_MissingOrForeignLibraries_NullWithEveryReason()
    {
        NativeBackend? backend = NativeBackend.TryLoad(["libdoes-not-exist.so.9", "libc.so.6"], out string reason);

        backend.Should().BeNull();
        reason.Should().Contain("libdoes-not-exist.so.9: not found");
        if (OperatingSystem.IsLinux())
        {
            reason.Should().Contain("libc.so.6: no cblas_sgemm/cblas_dgemm");
        }
    }

    [Fact]
    public void Use_OverridesForTheScopeOnly()
    {
        LinearAlgebraBackend before = Backend.Current;

        using (Backend.Use(Backend.Managed))
        {
            Backend.Current.Should().BeSameAs(Backend.Managed);
        }

        Backend.Current.Should().BeSameAs(before);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Multiply_EveryTransposeCombination_MatchesMathNet(BackendKind kind)
    {
        LinearAlgebraBackend backend = Get(kind);
        var random = new Random(1);
        Matrix<double> a = Matrix<double>.Build.Dense(7, 5, (_, _) => random.NextDouble());
        Matrix<double> b = Matrix<double>.Build.Dense(5, 3, (_, _) => random.NextDouble());
        Matrix<double> expected = a * b;

        foreach ((bool ta, bool tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            Matrix<double> c = Matrix<double>.Build.Dense(7, 3);
            backend.Multiply(ta ? a.Transpose() : a, ta, tb ? b.Transpose() : b, tb, c);
            c.Should().Match<Matrix<double>>(m => (m - expected).FrobeniusNorm() < 1e-12, $"transposeA={ta}, transposeB={tb}");
        }
    }

    [Fact]
    public void Multiply_ShapesDoNotMatch_SaysWhichShapes()
    {
        Action act = () => Backend.Managed.Multiply(Matrix<float>.Build.Dense(2, 3), false, Matrix<float>.Build.Dense(4, 5), false, Matrix<float>.Build.Dense(2, 5));

        act.Should().Throw<ArgumentException>().WithMessage("Managed.Multiply: op(A) is 2×3 and op(B) is 4×5*");
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Training_ManagedAndNative_SameWeightsToRounding(bool useFloat)
    {
        Skipping.If(Backend.Native is null, $"no native BLAS on this machine ({Backend.NativeUnavailableReason})");
        if (useFloat)
        {
            float[] managed = Train<float>(Backend.Managed), native = Train<float>(Backend.Native!);
            native.Zip(managed).Should().OnlyContain(p => Math.Abs(p.First - p.Second) <= 1e-4f * (1 + Math.Abs(p.Second)));
        }
        else
        {
            double[] managed = Train<double>(Backend.Managed), native = Train<double>(Backend.Native!);
            native.Zip(managed).Should().OnlyContain(p => Math.Abs(p.First - p.Second) <= 1e-11 * (1 + Math.Abs(p.Second)));
        }
    }

    [SkippableFact]
    public void TrainingStep_Native_AllocatesNothingAfterTheFirstBatch()
    {
        Skipping.If(Backend.Native is null, $"no native BLAS on this machine ({Backend.NativeUnavailableReason})");
        AssertTrainingStepAllocatesNothing(Backend.Native!);
    }

    [Fact]
    public void TrainingStep_Managed_AllocatesNothingAfterTheFirstBatch() => AssertTrainingStepAllocatesNothing(Backend.Managed);

    [Fact]
    public void TrainingStep_ChapterSixDropoutNetworkWithL2_AllocatesNothingAfterTheFirstBatch()
    {
        // Nielsen's chapter-6 dropout network at his batch of 10: convolutions, pooling, dropout, a dense layer of 1,000
        // (a product of few rows, read from B where it is stored) and L2, which once allocated an iterator per step.
        var builder = new NetworkBuilder<float>(new FeatureShape(1, 28, 28), seed: 1);
        foreach (string layer in new[] { "conv2d(20,5,relu)", "maxpool2d(2)", "conv2d(40,5,relu)", "maxpool2d(2)", "dropout(0.5)", "dense(1000,relu)", "dropout(0.5)", "dense(10)" })
        {
            builder.Add(layer);
        }

        Network<float> network = builder.Build(Loss.CrossEntropy);
        var x = new Tensor<float>(10, 784);
        Tensor<float> y = Tensor<float>.OneHot(Enumerable.Range(0, 10).ToArray(), 10);
        var optimizer = new GradientDescent(0.03);
        var l2 = new L2(1.0);
        for (int warmUp = 0; warmUp < 60; warmUp++)
        {
            Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 5; step++)
        {
            Step();
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);

        void Step()
        {
            network.ComputeGradients(x, y, Loss.CrossEntropy);
            l2.AddGradient<float>(network.Parameters, 50_000);
            optimizer.Step(network.Parameters);
        }
    }

    private static void AssertTrainingStepAllocatesNothing(LinearAlgebraBackend backend)
    {
        using IDisposable scope = Backend.Use(backend);
        Network<float> network = new NetworkBuilder<float>(784, seed: 1).Dense(128, Activation.ReLU).Dense(10).Build();
        var x = new Tensor<float>(64, 784);
        Tensor<float> y = Tensor<float>.OneHot(Enumerable.Range(0, 64).Select(i => i % 10).ToArray(), 10);
        var optimizer = new GradientDescent(0.1, momentum: 0.9);
        for (int warmUp = 0; warmUp < 100; warmUp++) // past tiered compilation's re-compilations, which can allocate
        {
            network.ComputeGradients(x, y, Loss.CrossEntropy);
            optimizer.Step(network.Parameters);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 10; step++)
        {
            network.ComputeGradients(x, y, Loss.CrossEntropy);
            optimizer.Step(network.Parameters);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static T[] Train<T>(LinearAlgebraBackend backend)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        using IDisposable scope = Backend.Use(backend);
        (Tensor<T> x, Tensor<T> y) = DeepLearning.Tests.Training.NetworkTest.Blobs<T>(96, seed: 4);
        Network<T> network = new NetworkBuilder<T>(2, seed: 5).Dense(16, Activation.Tanh).Dense(8, Activation.ReLU).Dense(3).Build();
        network.Fit(x, y, Loss.CrossEntropy, new GradientDescent(0.1, 0.9), new TrainingOptions { Epochs = 5, BatchSize = 16 });
        return network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();
    }

    private static LinearAlgebraBackend Get(BackendKind kind) => kind == BackendKind.Managed ? Backend.Managed : Backend.Native!;

    [SkippableFact]
    public void Native_StorageShorterThanTheShape_IsRefusedBeforeTheNativeCall()
    {
        Skipping.If(Backend.Native is null, $"no native BLAS on this machine ({Backend.NativeUnavailableReason})");

        // MathNet checks rows·columns in 32 bits: 65,536 × 65,537 wraps to 65,536, so this 'matrix' has 65,536 floats.
        var a = MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(65536, 65537, new float[65536]);
        var b = MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(65537, 1);
        var c = MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(65536, 1);

        Action act = () => Backend.Native!.Multiply(a, false, b, false, c);

        act.Should().Throw<ArgumentException>().WithMessage("Native backend: matrix A is 65536×65537 (4,295,032,832 elements) but its storage holds only 65,536*");
    }

    [SkippableFact]
    public void TryLoad_ReferenceBlas_IsSkippedNamingItAndWhy()
    {
        const string reference = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"; // Debian's libblas3
        Skipping.IfNot(File.Exists(reference), $"{reference} is not installed (apt-get install libblas3)");

        NativeBackend? loaded = NativeBackend.TryLoad([reference], out string reason);

        loaded.Should().BeNull();
        reason.Should().StartWith($"{reference}: skipped, not an optimized BLAS (no OpenBLAS, BLIS or MKL exports) and slower than the managed product in a speed probe (");
    }

    [SkippableFact]
    public void TryLoad_OpenBlas_IsRecognisedByItsExports()
    {
        NativeBackend? loaded = NativeBackend.TryLoad(["libopenblas.so.0"], out string reason);
        Skipping.If(loaded is null, $"no OpenBLAS here ({reason})");

        loaded!.Optimized.Should().Be("OpenBLAS");
        loaded.Description.Should().Be("native (OpenBLAS, libopenblas.so.0)");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auto")]
    [InlineData("AUTO")]
    [InlineData("managed")]
    public void Choose_AutoAndManaged_AreTheManagedBackendWithoutATiming(string? setting)
    {
        var warnings = new StringWriter();

        // A native BLAS is offered and would be the faster one: auto still never depends on a timing.
        LinearAlgebraBackend chosen = Backend.Choose(setting, warnings, () => Backend.Native ?? Backend.Managed);

        chosen.Should().BeSameAs(Backend.Managed);
        warnings.ToString().Should().BeEmpty();
    }
}
