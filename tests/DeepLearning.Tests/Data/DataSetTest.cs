using DeepLearning.Data;

namespace DeepLearning.Tests.Data;

public class DataSetTest
{
    [Fact]
    public void FromImages_ScalesPixelsAndOneHotsLabels()
    {
        var images = new IdxImages(2, 1, 3, [0, 255, 51, 102, 0, 255]);

        DataSet<double> data = DataSet<double>.FromImages(images, [3, 0], classes: 4);

        data.Inputs.ToArray().Should().BeEquivalentTo(new double[,] { { 0, 1, 0.2 }, { 0.4, 0, 1 } });
        data.Targets.ToArray().Should().BeEquivalentTo(new double[,] { { 0, 0, 0, 1 }, { 1, 0, 0, 0 } });
        data.Labels.Should().Equal(3, 0);
        data.Count.Should().Be(2);
    }

    [Fact]
    public void FromImages_CountMismatch_SaysBothCounts()
    {
        Action act = () => DataSet<float>.FromImages(new IdxImages(2, 1, 1, [0, 1]), [1]);

        act.Should().Throw<ArgumentException>().WithMessage("2 images but 1 labels*");
    }

    [Fact]
    public void ShuffleTakeSplit_KeepInputsWithTheirLabels()
    {
        DataSet<double> data = Numbered(10);

        DataSet<double> shuffled = data.Shuffle(seed: 1);
        (DataSet<double> train, DataSet<double> validation) = shuffled.Split(3);

        shuffled.Labels.Should().BeEquivalentTo(data.Labels).And.NotEqual(data.Labels);
        train.Count.Should().Be(7);
        validation.Count.Should().Be(3);
        foreach (DataSet<double> part in new[] { shuffled, train, validation, data.Take(4) })
        {
            for (int i = 0; i < part.Count; i++)
            {
                part.Inputs[i, 0].Should().Be(part.Labels![i], "each row keeps its own label");
                part.Targets.GetRow(i)[part.Labels![i]].Should().Be(1);
            }
        }

        data.Shuffle(1).Labels.Should().Equal(shuffled.Labels, "the same seed gives the same order");
        data.Take(4).Labels.Should().Equal(0, 1, 2, 3);
    }

    [Fact]
    public void Batches_CoverEverySampleOnceAndReuseBuffers()
    {
        DataSet<double> data = Numbered(10);
        var seen = new List<double>();
        var buffers = new HashSet<Tensor<double>>(ReferenceEqualityComparer.Instance);

        foreach ((Tensor<double> x, Tensor<double> y) in data.Batches(4, shuffleSeed: 3))
        {
            buffers.Add(x);
            for (int i = 0; i < x.Rows; i++)
            {
                seen.Add(x[i, 0]);
                y.ArgMaxPerRow()[i].Should().Be((int)x[i, 0]);
            }
        }

        seen.Should().BeEquivalentTo(Enumerable.Range(0, 10).Select(i => (double)i));
        buffers.Should().HaveCount(2, "one buffer for the full batches of 4, one for the last batch of 2");
    }

    [Theory]
    [InlineData(93, true)] // 93 × 210 values: split over the threads, groups of 8 samples and a remainder of 5
    [InlineData(125, true)] // two batches, the second one split too
    [InlineData(64, false)] // below the parallel size: the calling thread alone
    [InlineData(3, false)]
    public void Batches_LargeEnoughToSplitOverThreads_HoldEachSampleWithItsTarget(int batchSize, bool split)
    {
        const int Count = 250, Features = 200, Classes = 10;
        var x = new Tensor<float>(Count, Features);
        for (int i = 0; i < Count; i++)
        {
            for (int j = 0; j < Features; j++)
            {
                x[i, j] = (i * 1000) + j;
            }
        }

        var data = new DataSet<float>(x, [.. Enumerable.Range(0, Count).Select(i => i % Classes)], Classes);
        var seen = new List<int>();
        foreach ((Tensor<float> batch, Tensor<float> targets) in data.Batches(batchSize, shuffleSeed: 5))
        {
            int[] classes = targets.ArgMaxPerRow();
            for (int r = 0; r < batch.Rows; r++)
            {
                int sample = (int)batch[r, 0] / 1000;
                for (int j = 0; j < Features; j++)
                {
                    batch[r, j].Should().Be((sample * 1000) + j);
                }

                classes[r].Should().Be(sample % Classes);
                seen.Add(sample);
            }
        }

        seen.Should().BeEquivalentTo(Enumerable.Range(0, Count)).And.NotBeInAscendingOrder();
        ((long)batchSize * (Features + Classes) >= MiniBatches<float>.ParallelValues).Should().Be(split, "the case is meant to be gathered on one thread or on several");
    }

    [Fact]
    public void Split_LeavesNothingOnOneSide_NamesParameter()
    {
        Action act = () => Numbered(5).Split(5);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("validationCount must be between 1 and 4 for 5 samples.*");
    }

    private static DataSet<double> Numbered(int count)
    {
        var x = new Tensor<double>(count, 2);
        for (int i = 0; i < count; i++)
        {
            x[i, 0] = i;
            x[i, 1] = -i;
        }

        return new DataSet<double>(x, Enumerable.Range(0, count).ToArray(), count);
    }
}
