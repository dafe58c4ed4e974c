using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;
using Playground.Model;

namespace Playground.Pages;

/// <summary>
/// The playground page: the settings (from the URL), the run, and the views. Training runs in slices of about 30 ms
/// between renders, paced by a timer (<see cref="Task.Delay(int)"/>), so the page stays responsive and a headless
/// browser's virtual time moves it on.
/// </summary>
public partial class Index
{
    internal static readonly double[] NoiseChoices = [0, 0.05, 0.1, 0.2, 0.3, 0.5];
    internal static readonly double[] ShareChoices = [0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
    internal static readonly double[] RateChoices = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
    internal static readonly double[] MomentumChoices = [0, 0.5, 0.9, 0.99];

    /// <summary>λ of the L2 penalty (λ/2n)·Σw²: with about 150 training points, 0.1 is already a gentle pull towards 0.</summary>
    internal static readonly double[] L2Choices = [0, 0.01, 0.03, 0.1, 0.3, 1, 3];

    /// <summary>p of the dropout after each hidden layer.</summary>
    internal static readonly double[] DropoutChoices = [0, 0.1, 0.2, 0.3, 0.5];
    internal static readonly double[] BatchChoices = [1, 5, 10, 20, 30, 50, 100];

    private const int GridSide = 40;
    private const int NeuronSide = GridSide / 2;
    private const double Extent = 1.2;
    private const int SliceMilliseconds = 30;

    /// <summary>At most this many steps between renders, whatever the clock says (a clock that stands still must not hang the page).</summary>
    private const int MaxStepsPerSlice = 2000;

    /// <summary>The training time below which no steps-per-second figure is shown: too short to measure.</summary>
    private const double MinimumMeasuredSeconds = 0.25;

    private PlaygroundSettings _settings = new();
    private TrainingSession _session = null!;
    private List<string> _notes = [];
    private bool _playing;
    private bool _done;
    private bool _disposed;
    private string _boundary = "";
    private string _curve = "";
    private string[][] _neurons = [];
    private double _chartMax = 1;
    private double _stepsPerSecond;
    private (int Layer, int Row, int Column)? _selected;
    private StepExplanation? _explanation;
    private (double Predicted, double Actual)? _afterStep;

    /// <summary>The pages besides the plane, by their <c>?page=</c> value.</summary>
    private static readonly string[] Pages = ["digits", "names"];

    /// <summary>Which page the address asks for: <c>?page=digits</c> opens <see cref="Digits"/>, <c>?page=names</c> <see cref="Names"/>, anything else the plane.</summary>
    private string _page = "";

    protected override void OnInitialized()
    {
        string query = new Uri(Navigation.Uri).Query;
        if (PlaygroundSettings.ParseQuery(query).TryGetValue("page", out string? page) && Pages.FirstOrDefault(p => p.Equals(page, StringComparison.OrdinalIgnoreCase)) is { } other)
        {
            _page = other;
            return;
        }

        _settings = PlaygroundSettings.FromQuery(query, out IReadOnlyList<string> notes);
        _notes = [.. notes];
        NewSession();
        if (_settings.Autoplay)
        {
            _ = Play();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _playing = false;
    }

    private void NewSession()
    {
        _playing = false;
        _done = false;
        _session = new TrainingSession(_settings);
        _selected = null;
        _explanation = null;
        _afterStep = null;
        Refresh();
    }

    /// <summary>New settings from a control: a new run from step 0, and the address updated so that the link shares it.</summary>
    private void Change(PlaygroundSettings settings)
    {
        _settings = settings with { Autoplay = false, Steps = 0 };
        Navigation.NavigateTo(Navigation.BaseUri + _settings.ToQuery(), replace: true);
        NewSession();
    }

    private void ChangeSeed(ChangeEventArgs e)
    {
        if (int.TryParse(e.Value?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int seed))
        {
            Change(_settings with { Seed = seed });
        }
    }

    private void AddLayer() => Change(_settings with { Layers = [.. _settings.Layers, _settings.Layers[^1]] });

    private void RemoveLayer() => Change(_settings with { Layers = [.. _settings.Layers.Take(_settings.Layers.Count - 1)] });

    private void Resize(int layer, int by)
    {
        int[] sizes = [.. _settings.Layers];
        sizes[layer] = Math.Clamp(sizes[layer] + by, 1, PlaygroundSettings.MaxNeurons);
        Change(_settings with { Layers = sizes });
    }

    private void Reset() => NewSession();

    private async Task TogglePlay()
    {
        if (_playing)
        {
            _playing = false;
        }
        else
        {
            await Play();
        }
    }

    /// <summary>Trains in slices until paused, finished or diverged; renders after each slice.</summary>
    private async Task Play()
    {
        if (_playing)
        {
            return;
        }

        _playing = true;
        long steps = 0;
        int inSlice = 0;
        var timer = new Stopwatch();
        while (_playing && !_disposed && !_session.Finished && _session.Diverged is null)
        {
            var slice = Stopwatch.StartNew();
            timer.Start();
            do
            {
                if (!_session.TakeStep())
                {
                    break;
                }

                steps++;
            }
            while (slice.ElapsedMilliseconds < SliceMilliseconds && !_session.Finished && ++inSlice < MaxStepsPerSlice);
            timer.Stop();
            inSlice = 0;

            // A rate only once enough time has passed to measure it: a clock that stands still or jumps (a simulated
            // one, a suspended tab) shows "–" rather than billions of steps per second.
            double seconds = timer.Elapsed.TotalSeconds;
            _stepsPerSecond = seconds >= MinimumMeasuredSeconds ? Math.Min(steps / seconds, MaxStepsPerSlice * 1000.0 / SliceMilliseconds) : 0;
            Refresh();
            StateHasChanged();
            await Task.Delay(1);
        }

        _playing = false;
        _session.Record();
        _done = _session.Finished || _session.Diverged is not null;
        Refresh();
        StateHasChanged();
    }

    private void StepOnce()
    {
        StepExplanation? before = _explanation;
        if (!_session.TakeStep())
        {
            Refresh();
            return;
        }

        _session.Record();
        if (before is not null)
        {
            double actual = _session.Layers[before.Layer - 1].Weights[before.From, before.To];
            _afterStep = (before.NewValue, actual);
        }

        Refresh();
    }

    private void Select(int layer, int row, int column)
    {
        _selected = (layer, row, column);
        _afterStep = null;
        _explanation = _session.Explain(layer, row, column);
    }

    /// <summary>Recomputes the pictures: the prediction over the plane, each neuron's map, the explanation.</summary>
    private void Refresh()
    {
        if (_settings.IsRegression)
        {
            (double[] line, double[][][] neurons) = _session.OverGrid(100, 1);
            var points = new StringBuilder();
            for (int k = 0; k < line.Length; k++)
            {
                // A diverging network's values can be anything: draw only numbers, held just outside the picture.
                if (double.IsFinite(line[k]))
                {
                    double x = TrainingSession.Coordinate(k, line.Length, 1);
                    points.Append(CultureInfo.InvariantCulture, $"{X(x):0.#},{Y(Math.Clamp(line[k], -2, 2)):0.#} ");
                }
            }

            _curve = points.ToString();
            _neurons = [.. neurons.Select(layer => layer.Select(values => Strip(values)).ToArray())];
        }
        else
        {
            // One pass over the grid; each neuron's small map takes every other cell of it.
            (double[] prediction, double[][][] neurons) = _session.OverGrid(GridSide, Extent);
            _boundary = HeatMap.DataUrl([.. prediction.Select(p => (2 * p) - 1)], GridSide, GridSide);
            _neurons = [.. neurons.Select(layer => layer.Select(values => Map(EveryOther(values), NeuronSide)).ToArray())];
        }

        _chartMax = Math.Max(1e-9, _session.History.Where(h => double.IsFinite(h.Train)).Select(h => Math.Max(h.Train, h.Test)).DefaultIfEmpty(1).Max());
        if (_selected is { } s && _session.Diverged is null)
        {
            _explanation = _session.Explain(s.Layer, s.Row, s.Column);
        }
    }

    private static double[] EveryOther(double[] grid)
    {
        var half = new double[NeuronSide * NeuronSide];
        for (int r = 0; r < NeuronSide; r++)
        {
            for (int c = 0; c < NeuronSide; c++)
            {
                half[(r * NeuronSide) + c] = grid[(2 * r * GridSide) + (2 * c)];
            }
        }

        return half;
    }

    private static string Map(double[] values, int side)
    {
        double scale = Math.Max(1e-12, values.Max(Math.Abs));
        return HeatMap.DataUrl([.. values.Select(v => v / scale)], side, side);
    }

    private static string Strip(double[] values)
    {
        double scale = Math.Max(1e-12, values.Max(Math.Abs));
        return HeatMap.DataUrl([.. values.Select(v => v / scale)], values.Length, 1);
    }

    private string Chart(Func<(int Step, double Train, double Test), double> value)
    {
        var history = _session.History;
        int last = Math.Max(1, history[^1].Step);
        var points = new StringBuilder();
        int every = Math.Max(1, history.Count / 300);
        for (int i = 0; i < history.Count; i += every)
        {
            double v = value(history[i]);
            if (double.IsFinite(v))
            {
                points.Append(CultureInfo.InvariantCulture, $"{300.0 * history[i].Step / last:0.#},{300 - (290 * Math.Min(v, _chartMax) / _chartMax):0.#} ");
            }
        }

        return points.ToString();
    }

    private static double MaxAbs(MathNet.Numerics.LinearAlgebra.Matrix<double> w)
        => Math.Max(1e-12, w.Enumerate().Select(Math.Abs).Where(double.IsFinite).DefaultIfEmpty(1).Max());

    private string From(int layer) => layer == 0 ? $"the {_session.Inputs} input{(_session.Inputs > 1 ? "s" : "")}" : $"the {_settings.Layers[layer - 1]} neurons of hidden layer {layer}";

    private string To(int layer) => layer == _session.Layers.Count - 1 ? "the output neuron" : $"the {_settings.Layers[layer]} neurons of hidden layer {layer + 1}";

    private string FromName(int layer, int i) => layer == 0 ? $"x{i + 1}" : $"h{layer}.{i + 1}";

    private string ToName(int layer, int j) => layer == _session.Layers.Count - 1 ? "out" : $"h{layer + 1}.{j + 1}";

    private double X(double x1) => 150 + (150 * x1 / (_settings.IsRegression ? 1 : Extent));

    private double Y(Point p) => _settings.IsRegression ? Y(p.Label) : 150 - (150 * p.X2 / Extent);

    private static double Y(double value) => 150 - (150 * value / 1.2);

    private string Class(Point p) => _settings.IsRegression ? "value" : p.Label >= 0.5 ? "one" : "zero";

    private static string Loss(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>The diagram's column of layer <paramref name="layer"/> of neurons (0: the inputs), spread across 300 units.</summary>
    private double NodeX(int layer) => 20 + (260.0 * layer / _session.Layers.Count);

    /// <summary>The height of neuron <paramref name="index"/> of <paramref name="count"/> in its column, centred.</summary>
    private static double NodeY(int index, int count) => 150 + (32 * (index - ((count - 1) / 2.0)));

    /// <summary>
    /// The ticks of an axis from 0 to <paramref name="max"/>: 0 and the multiples of a round step (1, 2 or 5 times a power
    /// of ten) chosen so that there are three to six of them — 0, 0.2, 0.4, 0.6 for 0.69; 0, 1,000, 2,000 for 2,600.
    /// </summary>
    internal static double[] NiceTicks(double max)
    {
        if (!(max > 0) || !double.IsFinite(max))
        {
            return [0];
        }

        double raw = max / 5, power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * power).First(s => s >= raw);
        int count = (int)Math.Floor((max / step) + 1e-9);
        return [.. Enumerable.Range(0, count + 1).Select(i => Math.Round(i * step, 12))];
    }

    /// <summary>The loss chart's top label: four decimals, or three significant digits for a diverging run's huge losses.</summary>
    private static string Scale(double value) => value < 1000 ? Loss(value) : value.ToString("0.##e+0", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>A number multiplied by another: in parentheses when negative, so that "0.03·(-0.002661)" reads as a product.</summary>
    internal static string Factor(double value) => value < 0 ? $"({N(value)})" : N(value);

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Number(ChangeEventArgs e) => double.Parse(e.Value!.ToString()!, CultureInfo.InvariantCulture);

    /// <summary>The usual choices, plus the current value when a URL set another one.</summary>
    private static IEnumerable<double> Choices(double[] choices, double current) => choices.Append(current).Distinct().Order();
}
