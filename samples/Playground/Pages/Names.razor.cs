using System.Globalization;
using System.Text;
using DeepLearning;
using DeepLearning.Training;
using Microsoft.AspNetCore.Components;
using Playground.Model;

namespace Playground.Pages;

/// <summary>
/// The Names page: names written by the shipped transformer or by a network trained in the page (transformer, MLP or
/// GRU), the training and validation losses on a curve, and a name's attention drawn per block and head with any weight
/// explained. Opened as <c>?page=names</c>; see <see cref="Index"/>.
/// </summary>
public partial class Names
{
    /// <summary>Names written at a time.</summary>
    internal const int Written = 12;

    /// <summary>While training, the names are written again (and the attention read again) every this many steps.</summary>
    internal const int WriteEvery = 50;

    /// <summary>The name whose attention is drawn when the address names none: makemore's first name.</summary>
    internal const string DefaultName = "emma";

    private const int MaxSteps = 1_000_000;

    private readonly List<string> _notes = [];
    private NameData? _names;
    private Network<float>? _shipped;
    private double _shippedDevLoss;
    private HashSet<string> _known = [];
    private NameModel _model = NameTraining.Transformer;
    private NameTraining? _training;
    private bool _useTrained;
    private bool _playing;
    private bool _disposed;
    private bool _done;
    private int _seed = 1;
    private int _writeSeed = 1;
    private int _trainSteps;
    private double _stepsPerSecond;
    private string[] _written = [];
    private string _attentionName = DefaultName;
    private string? _attentionNote;
    private NameAttention? _attention;
    private (int Layer, int Head, int T, int J)? _cell;
    private AttentionExplanation? _explanation;

    [Inject]
    private NameAssets Files { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    /// <summary>The network that writes: the one trained here once it has taken a step (unless the reader switched back), else the shipped one.</summary>
    private Network<float> Writer => _useTrained && _training is { Step: > 0 } ? _training.Network : _shipped!;

    private string WriterTitle => Writer == _shipped
        ? "the shipped transformer"
        : string.Create(CultureInfo.InvariantCulture, $"the {_training!.Model.Name} trained here (step {_training.Step:N0})");

    /// <summary>The network whose attention is drawn: the writer if it has attention, else the shipped transformer.</summary>
    private Network<float> Reader => NameAttention.HasAttention(Writer) ? Writer : _shipped!;

    private string AttentionTitle => Reader == _shipped ? "the shipped transformer" : $"the transformer trained here (step {_training!.Step:N0})";

    private int Fresh => _written.Count(n => !_known.Contains(n));

    protected override async Task OnInitializedAsync()
    {
        Dictionary<string, string> query = PlaygroundSettings.ParseQuery(new Uri(Navigation.Uri).Query);
        _seed = PlaygroundSettings.Whole(query, "seed", 1, 0, int.MaxValue, _notes);
        _trainSteps = query.ContainsKey("train") ? PlaygroundSettings.Whole(query, "train", 0, 1, MaxSteps, _notes) : 0;
        if (query.TryGetValue("model", out string? model))
        {
            NameModel? found = NameTraining.Models.FirstOrDefault(m => m.Name.Equals(model, StringComparison.OrdinalIgnoreCase));
            if (found is null)
            {
                _notes.Add($"model '{model}' is not one of {string.Join(", ", NameTraining.Models.Select(m => m.Name))}: using transformer");
            }

            _model = found ?? NameTraining.Transformer;
        }

        _writeSeed = _seed;
        _names = await Files.NamesAsync();
        _shipped = await Files.ModelAsync();
        _known = new HashSet<string>(_names.Train, StringComparer.Ordinal);
        _shippedDevLoss = _shipped.Evaluate(_names.Encode(_names.Dev), DeepLearning.Losses.Loss.CrossEntropy).Loss;
        Write();
        if (query.TryGetValue("name", out string? name))
        {
            _attentionName = name.Trim().ToLowerInvariant();
        }

        if (!Read() && query.ContainsKey("name"))
        {
            _notes.Add($"name '{name}': {_attentionNote!.TrimEnd('.')}: using {DefaultName}");
            _attentionName = DefaultName;
            Read();
        }

        if (_trainSteps > 0)
        {
            _ = StartTraining(); // runs on between renders; the page is drawn and usable meanwhile
        }
        else
        {
            _done = true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _playing = false;
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes <see cref="Written"/> names with the writer and <see cref="_writeSeed"/>.</summary>
    private void Write() => _written = NameTraining.Write(Writer, _names!.Vocabulary, Written, _writeSeed);

    private void WriteOthers()
    {
        _writeSeed = _writeSeed == int.MaxValue ? 0 : _writeSeed + 1;
        Write();
    }

    private void ToggleWriter()
    {
        _useTrained = !_useTrained;
        Write();
        Read();
    }

    private void ShowAttention(string name)
    {
        _attentionName = name;
        Read();
    }

    private void TypeName(ChangeEventArgs e)
    {
        _attentionName = (e.Value?.ToString() ?? "").Trim().ToLowerInvariant();
        Read();
    }

    /// <summary>Reads the chosen name with the reader and keeps the selected cell if it is still there, else picks the last letter's strongest look.</summary>
    private bool Read()
    {
        try
        {
            _attention = new NameAttention(Reader, _names!.Vocabulary, _attentionName);
        }
        catch (ArgumentException e)
        {
            _attentionNote = e.Message.Split(" (Parameter", StringSplitOptions.None)[0];
            return false;
        }

        _attentionNote = NameAttention.HasAttention(Writer) ? null : $"The {_training!.Model.Name} trained here has no attention layer: its names are above, the attention is the shipped transformer's.";
        int last = _attention.Symbols.Length - 1;
        if (_cell is not { } c || c.Layer >= _attention.Layers.Count || c.T > last || c.J > last)
        {
            int j = Enumerable.Range(0, last + 1).MaxBy(j => _attention.Weight(0, 0, last, j));
            c = (0, 0, last, j);
        }

        Select(c.Layer, c.Head, c.T, c.J);
        return true;
    }

    private void Select(int layer, int head, int t, int j)
    {
        _cell = (layer, head, t, j);
        _explanation = _attention!.Explain(layer, head, t, j);
    }

    private void ChooseModel(ChangeEventArgs e)
    {
        NameModel? model = NameTraining.Models.FirstOrDefault(m => m.Name == e.Value?.ToString());
        if (model is null || _playing || model == _model)
        {
            return;
        }

        _model = model;
        _training = null; // a new network starts from scratch; the names come from the shipped model again
        Write();
        Read();
    }

    private Task ToggleTraining()
    {
        if (_playing)
        {
            _playing = false;
            return Task.CompletedTask;
        }

        if (_training is not null && _trainSteps > 0 && _training.Step >= _trainSteps)
        {
            _trainSteps = 0; // the address's steps are done: "Go on" trains until paused
        }

        return StartTraining();
    }

    private async Task StartTraining()
    {
        _training ??= new NameTraining(_names!, _model, _seed);
        _useTrained = true;
        await Train();
    }

    /// <summary>
    /// Trains in slices of about 40 ms between renders until paused (or, with <c>train=STEPS</c>, done); writes the names
    /// and reads the attention again every <see cref="WriteEvery"/> steps and at the end, so a run's names depend on its
    /// steps alone, never on the machine's speed.
    /// </summary>
    private async Task Train()
    {
        if (_playing)
        {
            return;
        }

        _playing = true;
        NameTraining training = _training!;
        bool Going() => _playing && !_disposed && (_trainSteps == 0 || training.Step < _trainSteps);
        await TrainingSlices.RunAsync(
            Going,
            () =>
            {
                training.TakeStep();
                return training.Step % WriteEvery == 0;
            },
            rate => _stepsPerSecond = rate,
            () =>
            {
                if (training.Step % WriteEvery == 0 || !Going())
                {
                    Write();
                    Read();
                }

                StateHasChanged();
            });

        _playing = false;
        if (_trainSteps > 0 && training.Step >= _trainSteps)
        {
            _done = true; // the last slice wrote the names and read the attention with the final weights
        }

        StateHasChanged();
    }

    /// <summary>"the start (position 0)" or "'m' (position 3)".</summary>
    private string Describe(int position) => position == 0 ? "the start (position 0)" : $"'{_attention!.Symbols[position]}' (position {position})";

    private IEnumerable<double> LossTicks()
    {
        (double low, double high) = ChartRange();
        for (double tick = Math.Ceiling(low * 2) / 2; tick <= high; tick += 0.5)
        {
            yield return tick;
        }
    }

    /// <summary>The chart's loss range: from at least 0.1 below the lowest loss shown to the highest, in whole halves.</summary>
    private (double Low, double High) ChartRange()
    {
        IEnumerable<double> losses = (_training?.Curve ?? []).SelectMany(p => new[] { p.Train, p.Dev }).Append(_shippedDevLoss).Where(double.IsFinite);
        double low = Math.Floor((losses.Min() - 0.1) * 2) / 2, high = Math.Ceiling(losses.Max() * 2) / 2; // room under the lowest line for the step ticks
        return (low, Math.Max(high, low + 0.5));
    }

    private double ChartY(double loss)
    {
        (double low, double high) = ChartRange();
        return 195 - (185 * (loss - low) / (high - low));
    }

    /// <summary>The steps the chart spans: the last point's, at least one evaluation's.</summary>
    private int ChartSteps => Math.Max(NameTraining.EvaluateEvery, _training?.Curve[^1].Step ?? 0);

    private string Chart(Func<LossPoint, double> value)
    {
        if (_training is null)
        {
            return "";
        }

        IReadOnlyList<LossPoint> curve = _training.Curve;
        int last = ChartSteps;
        var points = new StringBuilder();
        int every = Math.Max(1, curve.Count / 360);
        for (int i = 0; i < curve.Count; i += every)
        {
            double v = value(curve[i]);
            if (double.IsFinite(v))
            {
                points.Append(CultureInfo.InvariantCulture, $"{360.0 * curve[i].Step / last:0.#},{ChartY(v):0.#} ");
            }
        }

        return points.ToString();
    }

    private static string Loss(double value) => double.IsFinite(value) ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "–";

    private static string Number(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Percent(double p) => (100 * p).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Three decimals, never "-0.000".</summary>
    private static string N(double value) => Math.Round(value, 3) == 0 ? "0.000" : value.ToString("0.000", CultureInfo.InvariantCulture);
}
