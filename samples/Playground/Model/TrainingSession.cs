using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Regularization;
using DeepLearning.Training;

namespace Playground.Model;

/// <summary>What the next gradient-descent step will do to one weight, with the numbers.</summary>
/// <param name="Layer">Which weight matrix (1 for W1, between the inputs and the first hidden layer).</param>
/// <param name="From">The row: the neuron of the layer the connection comes from.</param>
/// <param name="To">The column: the neuron of the layer it goes to.</param>
/// <param name="Value">w now.</param>
/// <param name="Gradient">∂L/∂w on the next batch.</param>
/// <param name="LearningRate">ε.</param>
/// <param name="Momentum">μ.</param>
/// <param name="PreviousChange">The change the last step made to w (the velocity v that momentum carries on).</param>
public sealed record StepExplanation(int Layer, int From, int To, double Value, double Gradient, double LearningRate,
    double Momentum, double PreviousChange)
{
    /// <summary>w − ε·∂L/∂w, plus μ·v with momentum: the value after the next step.</summary>
    public double NewValue => Value + (Momentum * PreviousChange) - (LearningRate * Gradient);
}

/// <summary>
/// One run of the playground: the data, the network built from the settings, and gradient descent one mini-batch at a
/// time, with the train and test losses recorded as it goes. Everything is seeded by the settings: the same settings
/// give the same numbers, step for step.
/// </summary>
public sealed class TrainingSession
{
    /// <summary>How often the train and test losses are recorded (in steps), besides the first and the last.</summary>
    public const int RecordEvery = 5;

    private readonly int[] _order;
    private readonly Random _shuffle;
    private readonly Matrix[] _before;
    private readonly Matrix[] _change;
    private readonly Tensor<double> _batchX;
    private readonly Tensor<double> _batchY;
    private int _cursor;
    private int _prepared = -1; // the step whose gradient the parameters hold (see Prepare)
    private double _preparedLoss;

    public TrainingSession(PlaygroundSettings settings)
    {
        Settings = settings;
        (Point[] training, Point[] test) = DataSets.Make(settings.DataSet, settings.Noise, settings.TrainShare, settings.Seed);
        TrainingPoints = training;
        TestPoints = test;
        Inputs = settings.IsRegression ? 1 : 2;
        (TrainX, TrainY) = ToTensors(training);
        (TestX, TestY) = ToTensors(test);

        Loss = Registries.Losses.Create(settings.Loss);
        IActivation hidden = Registries.Activations.Create(settings.Activation);
        // A logit for binary cross-entropy (the loss applies σ), σ for the squared losses on 0/1 labels, the value itself for the curve.
        IActivation output = settings.IsRegression || Loss is BinaryCrossEntropy ? Activation.Identity : Activation.Sigmoid;
        var builder = new NetworkBuilder<double>(Inputs, settings.Seed);
        foreach (int size in settings.Layers)
        {
            builder.Dense(size, hidden);
            if (settings.Dropout > 0)
            {
                builder.Dropout(settings.Dropout); // its masks seeded from the settings' seed, like everything else
            }
        }

        Network = builder.Dense(1, output).Build();
        Layers = [.. Network.Layers.OfType<Dense<double>>()];
        Optimizer = new GradientDescent(settings.LearningRate, settings.Momentum);
        Regularizer = settings.L2 > 0 ? new L2(settings.L2) : null;
        _order = [.. Enumerable.Range(0, training.Length)];
        _shuffle = new Random(settings.Seed);
        _shuffle.Shuffle(_order);
        int batch = Math.Min(settings.BatchSize, training.Length);
        _batchX = new Tensor<double>(batch, Inputs);
        _batchY = new Tensor<double>(batch, 1);
        _before = [.. Layers.Select(l => new Matrix(l.Weights.RowCount, l.Weights.ColumnCount))];
        _change = [.. Layers.Select(l => new Matrix(l.Weights.RowCount, l.Weights.ColumnCount))];
        Record();
    }

    public PlaygroundSettings Settings { get; }

    public Point[] TrainingPoints { get; }

    public Point[] TestPoints { get; }

    public int Inputs { get; }

    public Network<double> Network { get; }

    /// <summary>The dense layers, input side first: Layers[0].Weights is W1, inputs × first hidden layer.</summary>
    public IReadOnlyList<Dense<double>> Layers { get; }

    public ILoss Loss { get; }

    public GradientDescent Optimizer { get; }

    /// <summary>The L2 penalty whose gradient λw/n each step adds to every weight's, or null.</summary>
    public L2? Regularizer { get; }

    public Tensor<double> TrainX { get; }

    public Tensor<double> TrainY { get; }

    public Tensor<double> TestX { get; }

    public Tensor<double> TestY { get; }

    /// <summary>Steps taken so far.</summary>
    public int Step { get; private set; }

    /// <summary>Passes over the training set so far: steps × batch size / training points (1.5 = one and a half).</summary>
    public double Epochs => (double)Step * _batchX.Rows / TrainingPoints.Length;

    /// <summary>The loss on the whole training set and on the test set, recorded every <see cref="RecordEvery"/> steps.</summary>
    public List<(int Step, double Train, double Test)> History { get; } = [];

    public double TrainLoss => History[^1].Train;

    public double TestLoss => History[^1].Test;

    /// <summary>Why training stopped on its own (the loss is no longer a number), or null.</summary>
    public string? Diverged { get; private set; }

    /// <summary>Whether the settings' step limit is reached.</summary>
    public bool Finished => Settings.Steps > 0 && Step >= Settings.Steps;

    /// <summary>
    /// The next mini-batch: the next <see cref="PlaygroundSettings.BatchSize"/> points of a seeded shuffle, reshuffled each
    /// epoch. The two tensors are the session's own, refilled by every call: no allocation per step.
    /// </summary>
    public (Tensor<double> X, Tensor<double> Y) NextBatch()
    {
        Tensor<double> x = _batchX, y = _batchY;
        for (int r = 0; r < x.Rows; r++)
        {
            int i = _order[(_cursor + r) % _order.Length];
            for (int c = 0; c < Inputs; c++)
            {
                x[r, c] = TrainX[i, c];
            }

            y[r, 0] = TrainY[i, 0];
        }

        return (x, y);
    }

    /// <summary>One gradient-descent step on the next mini-batch: forward, loss, backward, w ← w − ε·∂L/∂w.</summary>
    /// <returns>False when the loss stopped being a number (then <see cref="Diverged"/> says so and nothing changes).</returns>
    public bool TakeStep()
    {
        if (Diverged is not null)
        {
            return false;
        }

        double loss = Prepare();
        if (!double.IsFinite(loss))
        {
            Diverged = $"The loss became {loss} at step {Step + 1}: the learning rate ε = {Settings.LearningRate} is too " +
                $"large for this network. Try a smaller one, such as {Settings.LearningRate / 10}.";
            return false;
        }

        for (int l = 0; l < Layers.Count; l++)
        {
            _before[l].CopyFrom(Layers[l].Weights);
        }

        Optimizer.Step(Network.Parameters);
        for (int l = 0; l < Layers.Count; l++)
        {
            _change[l].Difference(Layers[l].Weights, _before[l]);
        }

        Step++;
        _cursor += _batchX.Rows;
        if (_cursor >= _order.Length)
        {
            _cursor = 0;
            _shuffle.Shuffle(_order);
        }

        if (Step % RecordEvery == 0 || Finished)
        {
            Record();
        }

        return true;
    }

    /// <summary>
    /// The next step's gradient — the loss's on the next mini-batch plus the penalty's — computed once per step, by the
    /// first of <see cref="Explain"/> and <see cref="TakeStep"/> to ask, and kept in the parameters' gradients until the
    /// step is taken. So the explained step is the step taken even with dropout, whose mask is drawn afresh by every
    /// training pass, and explaining a weight does not change the run: every step draws its mask exactly once.
    /// </summary>
    /// <returns>The loss on the mini-batch.</returns>
    private double Prepare()
    {
        if (_prepared != Step)
        {
            (Tensor<double> x, Tensor<double> y) = NextBatch();
            _preparedLoss = Network.ComputeGradients(x, y, Loss);
            Regularizer?.AddGradient(Network.Parameters, TrainingPoints.Length);
            _prepared = Step;
        }

        return _preparedLoss;
    }

    /// <summary>What the next step will do to W[layer][from, to]: computed on the batch that step will use.</summary>
    public StepExplanation Explain(int layer, int from, int to)
    {
        Prepare();
        Dense<double> dense = Layers[layer];
        return new StepExplanation(layer + 1, from, to, dense.Weights[from, to], dense.WeightGradient[from, to],
            Settings.LearningRate, Settings.Momentum, _change[layer][from, to]);
    }

    /// <summary>The mean loss of the network on a data set, as training measures it.</summary>
    public double LossOn(Tensor<double> x, Tensor<double> y) => x.Rows == 0 ? 0 : Loss.Value(Network.Predict(x), y);

    /// <summary>Records the current train and test losses (also after the last step of a limited run).</summary>
    public void Record()
    {
        if (History.Count > 0 && History[^1].Step == Step)
        {
            return;
        }

        History.Add((Step, LossOn(TrainX, TrainY), LossOn(TestX, TestY)));
        if (!double.IsFinite(History[^1].Train) && Diverged is null)
        {
            Diverged = $"The training loss became {History[^1].Train} at step {Step}: the learning rate ε = " +
                $"{Settings.LearningRate} is too large for this network. Try a smaller one, such as {Settings.LearningRate / 10}.";
        }
    }

    /// <summary>
    /// The network over a square grid of the plane [−<paramref name="extent"/>, +<paramref name="extent"/>]² (for the
    /// curve, along x): the prediction at each point, and each hidden neuron's output there.
    /// </summary>
    public (double[] Prediction, double[][][] Neurons) OverGrid(int side, double extent)
    {
        int count = Inputs == 2 ? side * side : side;
        var grid = new Tensor<double>(count, Inputs);
        for (int k = 0; k < count; k++)
        {
            grid[k, 0] = Inputs == 2 ? Coordinate(k % side, side, extent) : Coordinate(k, side, extent);
            if (Inputs == 2)
            {
                grid[k, 1] = Coordinate(side - 1 - (k / side), side, extent);
            }
        }

        Tensor<double> outputs = Network.Forward(grid);
        var prediction = new double[count];
        var probabilities = new Tensor<double>(count, 1);
        Loss.Predictions(outputs, probabilities);
        for (int k = 0; k < count; k++)
        {
            prediction[k] = probabilities[k, 0];
        }

        var neurons = new double[Layers.Count - 1][][];
        for (int l = 0; l < Layers.Count - 1; l++)
        {
            Tensor<double> a = Layers[l].Output!;
            neurons[l] = new double[a.Columns][];
            for (int j = 0; j < a.Columns; j++)
            {
                neurons[l][j] = new double[count];
                for (int k = 0; k < count; k++)
                {
                    neurons[l][j][k] = a[k, j];
                }
            }
        }

        return (prediction, neurons);
    }

    /// <summary>The centre of cell <paramref name="index"/> of <paramref name="side"/> cells across [−extent, extent].</summary>
    public static double Coordinate(int index, int side, double extent) => -extent + ((index + 0.5) * 2 * extent / side);

    private (Tensor<double> X, Tensor<double> Y) ToTensors(Point[] points)
    {
        var x = new Tensor<double>(points.Length, Inputs);
        var y = new Tensor<double>(points.Length, 1);
        for (int i = 0; i < points.Length; i++)
        {
            x[i, 0] = points[i].X1;
            if (Inputs == 2)
            {
                x[i, 1] = points[i].X2;
            }

            y[i, 0] = points[i].Label;
        }

        return (x, y);
    }

    /// <summary>A plain row-major copy of a weight matrix, for the change each step makes.</summary>
    private sealed class Matrix(int rows, int columns)
    {
        private readonly double[] _values = new double[rows * columns];

        public double this[int row, int column] => _values[(row * columns) + column];

        public void CopyFrom(MathNet.Numerics.LinearAlgebra.Matrix<double> m)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    _values[(r * columns) + c] = m[r, c];
                }
            }
        }

        public void Difference(MathNet.Numerics.LinearAlgebra.Matrix<double> after, Matrix before)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    _values[(r * columns) + c] = after[r, c] - before[r, c];
                }
            }
        }
    }
}
