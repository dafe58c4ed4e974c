using System.Diagnostics;
using System.Globalization;
using DeepLearning;
using DeepLearning.Data;
using DeepLearning.Layers;
using DeepLearning.Training;
using DigitTrainer;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using Playground.Model;

namespace Playground.Pages;

/// <summary>
/// The Digits page: a drawing pad, the shipped convolutional network reading what is drawn (through the trainer's own
/// preparation), every layer's feature maps, a feature-map pixel explained with its numbers, and a small network trained
/// in the page. Opened as <c>?page=digits</c>; see <see cref="Index"/>.
/// </summary>
public partial class Digits
{
    /// <summary>The side of the square the pad hands over (see wwwroot/js/digits.js).</summary>
    internal const int PadSide = 112;

    /// <summary>The test digits shipped with the page.</summary>
    internal const int Samples = 200;

    /// <summary>A feature map is drawn about this many CSS pixels wide.</summary>
    private const int MapPixels = 72;

    private ElementReference _pad;
    private IJSObjectReference? _module;
    private DotNetObjectReference<Digits>? _self;
    private Network<float>? _shipped;
    private DataSet<float>? _test;
    private DigitReading? _reading;
    private byte[]? _shown; // the digit to paint on the pad once it is ready
    private int _sample = -1;
    private string _source = "";
    private string _modelNote = "loading…";
    private string? _message;
    private string? _input;
    private Stage[] _stages = [];
    private (int Layer, int Channel, int Y, int X)? _selected;
    private (int Top, int Left, int Bottom, int Right)? _field;
    private PixelExplanation? _explanation;
    private bool _done;
    private bool _disposed;
    private int _seed = 1;
    private readonly List<string> _notes = [];
    private DigitTraining? _training;
    private bool _loadingTraining;
    private bool _trainingPlaying;
    private bool _readWithTrained;
    private int _trainSteps;
    private double _trainStepsPerSecond;
    private string[] _trainedFilters = [];
    private string[] _initialFilters = [];

    [Inject]
    private DigitAssets Files { get; set; } = null!;

    [Inject]
    private IJSRuntime JS { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    /// <summary>The network reading the digits: the shipped one, or the one trained here.</summary>
    private Network<float> Network => _readWithTrained && _training is not null ? _training.Network : _shipped!;

    protected override async Task OnInitializedAsync()
    {
        Dictionary<string, string> query = PlaygroundSettings.ParseQuery(new Uri(Navigation.Uri).Query);
        int sample = Whole(query, "sample", 0, Samples - 1) ?? 0;
        _seed = PlaygroundSettings.Whole(query, "seed", 1, 0, int.MaxValue, _notes);
        _trainSteps = query.ContainsKey("train") ? PlaygroundSettings.Whole(query, "train", 0, 1, 1_000_000, _notes) : 0;
        _shipped = await Files.ModelAsync();
        _test = await Files.TestDigitsAsync();
        _modelNote = $"{Describe(_shipped)}, {_shipped.ParameterCount:N0} parameters";
        ShowSample(sample);
        if (query.TryGetValue("sample", out string? given) && Whole(query, "sample", 0, Samples - 1) is null)
        {
            _message = $"sample={given} is not a test digit shipped with the page (0 to {Samples - 1}): showing #{sample}.";
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

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/digits.js");
            _self = DotNetObjectReference.Create(this);
            await _module.InvokeVoidAsync("attach", _pad, _self);
        }

        if (_module is not null && _shown is { } pixels)
        {
            _shown = null;
            await _module.InvokeVoidAsync("show", _pad, pixels);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _trainingPlaying = false;
        _self?.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // the page is going away
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Called by the pad as the reader draws: the picture as grey levels (<see cref="PadSide"/>², 0 black), prepared by
    /// <see cref="DigitImage.ToMnist"/> — the trainer's <c>predict --image</c> — and read.
    /// </summary>
    /// <param name="grey">The pad's pixels, row by row.</param>
    [JSInvokable]
    public void Drawn(byte[] grey)
    {
        ArgumentNullException.ThrowIfNull(grey);
        if (grey.Length != PadSide * PadSide || _shipped is null)
        {
            return;
        }

        var picture = new float[PadSide, PadSide];
        for (int y = 0; y < PadSide; y++)
        {
            for (int x = 0; x < PadSide; x++)
            {
                picture[y, x] = grey[(y * PadSide) + x] / 255f;
            }
        }

        _sample = -1;
        try
        {
            var clock = Stopwatch.StartNew();
            Read(DigitImage.ToMnist(picture, "the drawing"), "your drawing");
            _source = FormattableString.Invariant(
                $"your drawing, prepared as the trainer's predict prepares a picture, and read: {clock.Elapsed.TotalMilliseconds:0} ms in all");
        }
        catch (InvalidDataException)
        {
            _message = "Nothing to read yet: draw one digit, large, in the middle of the pad.";
        }

        StateHasChanged();
    }

    private async Task Clear()
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("clear", _pad);
        }

        _sample = -1;
        _reading = null;
        _input = null;
        _stages = [];
        _selected = null;
        _field = null;
        _explanation = null;
        _source = "";
        _message = "Draw one digit on the pad.";
    }

    private void PickSample(ChangeEventArgs e)
    {
        if (int.TryParse(e.Value?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int sample) && sample < Samples)
        {
            ShowSample(sample);
        }
    }

    private void ShowSample(int sample)
    {
        _sample = sample;
        byte[] pixels = [.. _test!.Inputs.GetRow(sample).Select(v => (byte)Math.Round(255 * v))];
        Read(pixels, $"MNIST test digit #{sample}, labelled {_test.Labels![sample]}");
        _shown = pixels;
    }

    /// <summary>Reads 28×28 bytes with the current network and redraws every picture; keeps the selected pixel if there is one.</summary>
    private void Read(byte[] pixels, string source)
    {
        _message = null;
        _source = source;
        _reading = new DigitReading(Network, pixels);
        _input = HeatMap.Grey(_reading.Input, 28, 28);
        _stages = [.. Enumerable.Range(0, Network.Layers.Count - 1).Select(MakeStage)];
        if (_selected is { } s && s.Layer < Network.Layers.Count)
        {
            Select(s.Layer, s.Channel, s.Y, s.X);
        }
    }

    private void Pick(Stage stage, int channel, MouseEventArgs e)
    {
        int x = Math.Clamp((int)(e.OffsetX / stage.Scale), 0, stage.Width - 1);
        int y = Math.Clamp((int)(e.OffsetY / stage.Scale), 0, stage.Height - 1);
        Select(stage.Layer, channel, y, x);
    }

    private void Select(int layer, int channel, int y, int x)
    {
        _selected = (layer, channel, y, x);
        _explanation = _reading!.Explain(layer, channel, y, x);
        _field = _reading.ReceptiveField(layer, y, x);
    }

    /// <summary>The pictures of one layer's output: a map per channel, or a strip for a vector, with its filters if it convolves one channel.</summary>
    private Stage MakeStage(int layer)
    {
        ILayer<float> l = Network.Layers[layer];
        FeatureShape shape = l.OutputShape;
        float[] values = _reading!.Outputs[layer];
        double scale = Math.Max(1e-12, values.Max(v => Math.Abs((double)v))); // a strip's scale; each map has its own
        bool[]? winners = layer + 1 < Network.Layers.Count && Network.Layers[layer + 1] is MaxPool2D<float> ? _reading.PoolWinners(layer + 1) : null;
        int pixels = shape.Height * shape.Width;
        string[] maps = shape.IsFlat
            ? [HeatMap.DataUrl([.. values.Select(v => v / scale)], values.Length, 1)]
            : [.. Enumerable.Range(0, shape.Channels).Select(c =>
            {
                // Each map on its own scale, so that a map of small values is not drawn as an empty one.
                double own = Math.Max(1e-12, values.Skip(c * pixels).Take(pixels).Max(v => Math.Abs((double)v)));
                double[] map = [.. values.Skip(c * pixels).Take(pixels).Select(v => v / own)];
                return winners is null ? HeatMap.DataUrl(map, shape.Width, shape.Height) : HeatMap.DataUrl(map, shape.Width, shape.Height, winners.AsSpan(c * pixels, pixels));
            })];
        string[] filters = l is Conv2D<float> { InputShape.Channels: 1 } conv ? FilterImages(conv) : [];
        string note = l switch
        {
            Conv2D<float> c => $"{c.Filters} filters of {c.KernelSize}×{c.KernelSize}{(c.InputShape.Channels > 1 ? $"×{c.InputShape.Channels} (one {c.KernelSize}×{c.KernelSize} slice per map of the layer before)" : "")}, {c.Activation.Name}: {c.Filters} feature maps of {shape.Height}×{shape.Width}, each map on its own scale"
                + (winners is null ? "" : "; the pooling's winners bright, the rest faint"),
            MaxPool2D<float> p => $"the largest of each {p.KernelSize}×{p.KernelSize} window: {shape.Channels} maps of {shape.Height}×{shape.Width}",
            _ => $"{values.Length} values, {l.Summary.Detail}",
        };
        int width = shape.IsFlat ? values.Length : shape.Width, height = shape.IsFlat ? 1 : shape.Height;
        int zoom = shape.IsFlat ? Math.Clamp(320 / values.Length, 2, 12) : Math.Max(2, MapPixels / shape.Width); // a strip fits a phone
        return new Stage(layer, l.Name, note, maps, filters, width, height, zoom, shape.IsFlat);
    }

    /// <summary>The k×k filters of a convolution over one channel, as pictures on one scale (blue negative, orange positive).</summary>
    private static string[] FilterImages(Conv2D<float> conv)
    {
        var w = conv.Weights;
        double scale = Math.Max(1e-12, w.Enumerate().Max(v => Math.Abs((double)v)));
        int k = conv.KernelSize;
        return [.. Enumerable.Range(0, conv.Filters).Select(f => HeatMap.DataUrl([.. Enumerable.Range(0, k * k).Select(r => w[r, f] / scale)], k, k))];
    }

    private async Task StartTraining()
    {
        if (_training is null)
        {
            _loadingTraining = true;
            StateHasChanged();
            DataSet<float> training = await Files.TrainingDigitsAsync();
            _training = new DigitTraining(training, _test!, _seed);
            _trainedFilters = FilterImages(_training.Filters);
            _initialFilters = _trainedFilters;
            _loadingTraining = false;
        }

        await Train();
    }

    private Task ToggleTraining()
    {
        if (_trainingPlaying)
        {
            _trainingPlaying = false;
            return Task.CompletedTask;
        }

        if (_training is not null && _trainSteps > 0 && _training.Step >= _trainSteps)
        {
            _trainSteps = 0; // the address's steps are done: "Go on" trains until paused
        }

        return StartTraining();
    }

    /// <summary>Which network reads the digit, for the header: the shipped one, or the one training in the page.</summary>
    private string ReaderNote => _readWithTrained && _training is not null
        ? $"The small network trained here ({DigitTraining.Layers}, step {_training.Step:N0})"
        : $"A convolutional network of this library, trained by the digit trainer ({_modelNote}),";

    private void ToggleReader()
    {
        _readWithTrained = !_readWithTrained;
        if (_reading is not null)
        {
            Read(_reading.Pixels, _source);
        }
    }

    /// <summary>Trains in slices of about 40 ms between renders until paused (or, with <c>train=STEPS</c> in the address, done).</summary>
    private async Task Train()
    {
        if (_trainingPlaying)
        {
            return;
        }

        _trainingPlaying = true;
        await TrainingSlices.RunAsync(
            () => _trainingPlaying && !_disposed && (_trainSteps == 0 || _training!.Step < _trainSteps),
            () =>
            {
                _training!.TakeStep();
                return false;
            },
            rate => _trainStepsPerSecond = rate,
            () =>
            {
                _trainedFilters = FilterImages(_training!.Filters);
                if (_readWithTrained && _reading is not null)
                {
                    Read(_reading.Pixels, _source);
                }

                StateHasChanged();
            });

        _trainingPlaying = false;
        if (_trainSteps > 0 && _training!.Step >= _trainSteps)
        {
            _done = true;
        }

        StateHasChanged();
    }

    private static string Describe(Network<float> network) => string.Join(" ", network.Layers.Select(l => l.Kind));

    /// <summary>Channel <paramref name="c"/> of an explained patch as a picture, on the scale of its own largest value.</summary>
    private static string PatchPicture(PixelExplanation e, int c) => Slice(e.Patch, c);

    /// <summary>Channel <paramref name="c"/> of the explained filter as a picture: blue negative, orange positive.</summary>
    private static string FilterPicture(PixelExplanation e, int c) => Slice(e.Weights!, c);

    private static string Slice(float[,,] values, int c)
    {
        int k = values.GetLength(1);
        double[] slice = [.. Enumerable.Range(0, k * k).Select(r => (double)values[c, r / k, r % k])];
        double scale = Math.Max(1e-12, slice.Max(Math.Abs));
        return HeatMap.DataUrl([.. slice.Select(v => v / scale)], k, k);
    }

    private double ChannelSum(PixelExplanation e, int c)
    {
        double sum = 0;
        for (int i = 0; i < e.Patch.GetLength(1); i++)
        {
            for (int j = 0; j < e.Patch.GetLength(2); j++)
            {
                sum += (double)e.Patch[c, i, j] * e.Weights![c, i, j];
            }
        }

        return sum;
    }

    /// <summary>The largest |x·w| of the explained window: the colour scale of its cells.</summary>
    private static double CellScale(PixelExplanation e)
    {
        double largest = 1e-12;
        for (int c = 0; c < e.Patch.GetLength(0); c++)
        {
            for (int i = 0; i < e.Patch.GetLength(1); i++)
            {
                for (int j = 0; j < e.Patch.GetLength(2); j++)
                {
                    largest = Math.Max(largest, Math.Abs((double)e.Patch[c, i, j] * (e.Weights?[c, i, j] ?? 0)));
                }
            }
        }

        return largest;
    }

    private static int? Whole(Dictionary<string, string> query, string key, int min, int max)
        => query.TryGetValue(key, out string? text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : null;

    private static string Box(int left, int top, int width, int height, int scale)
        => FormattableString.Invariant($"left:{left * scale}px;top:{top * scale}px;width:{width * scale}px;height:{height * scale}px");

    private static string Css(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Percent(double p) => (100 * p).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string N(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string N3(double value) => Math.Round(value, 2) == 0 ? "0" : value.ToString("0.##", CultureInfo.InvariantCulture); // never "-0"

    /// <summary>The pictures of one layer's output.</summary>
    private static string Loss(double loss) => double.IsNaN(loss) ? "–" : loss.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>
    /// The maps' grid: as few rows of at most 8 as hold them, filled evenly (16 maps: two rows of 8; 11: rows of 6 and 5),
    /// so no map wraps alone onto a line; rows of at most 4 on a phone (app.css).
    /// </summary>
    private static string Columns(int maps)
    {
        static int Even(int maps, int most) => maps <= 0 ? 1 : (maps + ((maps + most - 1) / most) - 1) / ((maps + most - 1) / most);
        return FormattableString.Invariant($"--columns:{Even(maps, 8)};--phone-columns:{Even(maps, 4)}");
    }

    private sealed record Stage(int Layer, string Title, string Note, string[] Maps, string[] Filters, int Width, int Height, int Scale, bool Flat);
}
