using System.Numerics.Tensors;
using DeepLearning.Compute;

namespace DeepLearning.Tests.Compute;

public class InCacheTest
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(InCache.Run - 1)]
    [InlineData(InCache.Run)]
    [InlineData((3 * InCache.Run) + 5)]
    [InlineData(200_000)] // past TensorPrimitives' 256 KiB: the length at which it would have stored around the caches
    public void EveryOperation_InRuns_GivesTensorPrimitivesValues(int length)
    {
        var random = new Random(length);
        float[] x = [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 8) - 4))];
        float[] addend = [.. Enumerable.Range(0, length).Select(_ => (float)random.NextDouble())];
        float[] ours = new float[length + 1], theirs = new float[length + 1]; // one past the end: must stay untouched
        ours[length] = theirs[length] = 42f;

        InCache.Max<float>(x, 0.5f, ours.AsSpan(0, length));
        TensorPrimitives.Max<float>(x, 0.5f, theirs.AsSpan(0, length));
        ours.Should().Equal(theirs, "max");

        InCache.Multiply<float>(x, 0.25f, ours.AsSpan(0, length));
        TensorPrimitives.Multiply<float>(x, 0.25f, theirs.AsSpan(0, length));
        ours.Should().Equal(theirs, "multiply");

        InCache.MultiplyAdd<float>(x, 0.25f, addend, ours.AsSpan(0, length));
        TensorPrimitives.MultiplyAdd<float>(x, 0.25f, addend, theirs.AsSpan(0, length));
        ours.Should().Equal(theirs, "multiply-add");

        InCache.Sigmoid<float>(x, ours.AsSpan(0, length)); // nothing to do when empty (TensorPrimitives.Sigmoid would throw)
        if (length > 0)
        {
            TensorPrimitives.Sigmoid<float>(x, theirs.AsSpan(0, length));
        }

        ours.Should().Equal(theirs, "sigmoid");

        InCache.Tanh<float>(x, ours.AsSpan(0, length));
        TensorPrimitives.Tanh<float>(x, theirs.AsSpan(0, length));
        ours.Should().Equal(theirs, "tanh");
        ours[length].Should().Be(42f);
    }

    [Fact]
    public void Run_StaysUnderTheLengthTensorPrimitivesStoresAroundTheCaches() =>
        (InCache.Run * (long)sizeof(double)).Should().BeLessThan(256 * 1024, "a run of doubles is 128 KiB");
}
