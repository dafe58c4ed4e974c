// The TorchSharp peer of the benchmarks (compare.sh beside this folder):
//   train   --data DIR [--cnn] [--hidden 128] [--learning-rate 0.1] [--momentum 0] [--batch-size 64] [--epochs 3]
//           [--threads 2] [--seed 1] [--train-limit N] [--onednn on|off]
//           the digit trainer's network in TorchSharp, float32 on the CPU; one JSON line per epoch, as
//           ../compare-pytorch/pytorch_mnist.py prints them ({"epoch", "trainLoss", "testAccuracy", "seconds"}).
//           --onednn off: LibTorch's convolutions without oneDNN (MKLDNN), its own kernels instead. On the AMD Zen 5
//           host of docs/performance.md, oneDNN's convolutions now and then return NaN (forward or backward; the same
//           batch computed again is finite; at 1 and 2 threads), so the CNN's training loss turns NaN within an epoch or
//           two; without oneDNN it trains, and the same seed gives the same numbers.
//   latency --side ours|torchsharp [--threads 2] [--calls 1000] [--onednn on|off]
//           one 28×28 image through Nielsen's CNN: Network.Predict of this library, or TorchSharp's forward and softmax;
//           after two seconds of warm-up, one JSON line with the median of CALLS timed calls. One side per process: LibTorch's
//           OpenMP threads keep spinning after a call and would slow the other side down in a shared process.
//   peak    [--threads 2] [--seconds 1]
//           the machine's single-precision peak: each thread runs 12 independent chains of fused multiply-adds on the
//           widest vectors for SECONDS; one JSON line with the GFLOP/s of all threads together (2 FLOPs per lane per FMA).
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DeepLearning;
using DeepLearning.Data;
using DeepLearning.Training;
using TorchSharp;
using static TorchSharp.torch;
using Nn = TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

var options = new Dictionary<string, string>();
var flags = new HashSet<string>();
for (int i = 1; i < args.Length; i++)
{
    if (args[i] == "--cnn")
    {
        flags.Add("cnn");
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i][2..]] = args[++i];
    }
    else
    {
        Console.Error.WriteLine($"error: unexpected argument {args[i]}");
        return 2;
    }
}

string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);
int threads = int.Parse(Option("threads", "2"), CultureInfo.InvariantCulture);
if (args.FirstOrDefault() != "peak" && Option("side", "torchsharp") == "torchsharp") // the library's side and the peak probe do not load LibTorch
{
    torch.set_num_threads(threads);
    switch (Option("onednn", "on"))
    {
        case "on":
            break;
        case "off":
            LibTorch.SetUserEnabledMkldnn(LibTorch.GlobalContext(), false);
            break;
        default:
            Console.Error.WriteLine("error: --onednn on or --onednn off");
            return 2;
    }

    torch.manual_seed(long.Parse(Option("seed", "1"), CultureInfo.InvariantCulture));
}

return args.FirstOrDefault() switch
{
    "train" => Train(),
    "latency" => Latency(),
    "peak" => Peak(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: TorchSharpMnist train --data DIR [options] | latency --side ours|torchsharp [--calls N] | peak [--threads N]");
    return 2;
}

// Nielsen's two-convolution network, as pytorch_mnist.py --cnn builds it.
static Nn.Module<Tensor, Tensor> Cnn(int hidden) => Nn.Sequential(
    Nn.Unflatten(1, [1, 28, 28]),
    Nn.Conv2d(1, 20, 5), Nn.ReLU(), Nn.MaxPool2d(2),
    Nn.Conv2d(20, 40, 5), Nn.ReLU(), Nn.MaxPool2d(2),
    Nn.Flatten(), Nn.Linear(640, hidden), Nn.ReLU(), Nn.Linear(hidden, 10));

int Train()
{
    string data = Option("data", "");
    int hidden = int.Parse(Option("hidden", "128"), CultureInfo.InvariantCulture);
    int batch = int.Parse(Option("batch-size", "64"), CultureInfo.InvariantCulture);
    int epochs = int.Parse(Option("epochs", "3"), CultureInfo.InvariantCulture);
    int limit = int.Parse(Option("train-limit", "0"), CultureInfo.InvariantCulture);
    double lr = double.Parse(Option("learning-rate", "0.1"), CultureInfo.InvariantCulture);
    double momentum = double.Parse(Option("momentum", "0"), CultureInfo.InvariantCulture);

    (Tensor xTrain, Tensor yTrain) = Load(data, "train", limit);
    (Tensor xTest, Tensor yTest) = Load(data, "t10k", 0);
    Nn.Module<Tensor, Tensor> model = flags.Contains("cnn")
        ? Cnn(hidden)
        : Nn.Sequential(Nn.Linear(784, hidden), Nn.ReLU(), Nn.Linear(hidden, 10));
    using (torch.no_grad())
    {
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal))
            {
                Nn.init.kaiming_normal_(p, nonlinearity: Nn.init.NonlinearityType.ReLU); // He normal, as the trainer
            }
            else
            {
                Nn.init.zeros_(p);
            }
        }
    }

    var optimizer = torch.optim.SGD(model.parameters(), lr, momentum);
    long n = xTrain.shape[0];
    for (int epoch = 1; epoch <= epochs; epoch++)
    {
        var clock = Stopwatch.StartNew();
        model.train();
        using Tensor order = torch.randperm(n);
        double lossSum = 0;
        for (long start = 0; start < n; start += batch)
        {
            using var scope = torch.NewDisposeScope();
            Tensor index = order[TensorIndex.Slice(start, Math.Min(start + batch, n))];
            Tensor x = xTrain.index_select(0, index), y = yTrain.index_select(0, index);
            Tensor loss = F.cross_entropy(model.forward(x), y);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            lossSum += loss.item<float>() * x.shape[0];
        }

        model.eval();
        long right = 0;
        using (torch.no_grad())
        {
            for (long start = 0; start < xTest.shape[0]; start += 1000)
            {
                using var scope = torch.NewDisposeScope();
                Tensor x = xTest[TensorIndex.Slice(start, start + 1000)], y = yTest[TensorIndex.Slice(start, start + 1000)];
                right += model.forward(x).argmax(1).eq(y).sum().item<long>();
            }
        }

        double seconds = clock.Elapsed.TotalSeconds, trainLoss = lossSum / n;
        if (!double.IsFinite(trainLoss))
        {
            // JSON has no NaN: the epoch's time still counts (the same work was done), its loss is written as null.
            Console.Error.WriteLine($"warning: TorchSharp epoch {epoch}: the training loss is {trainLoss} (training diverged); its time is kept.");
        }

        Console.WriteLine(JsonSerializer.Serialize(new { epoch, trainLoss = double.IsFinite(trainLoss) ? trainLoss : (double?)null, testAccuracy = (double)right / xTest.shape[0], seconds }));
    }

    return 0;
}

int Latency()
{
    int calls = int.Parse(Option("calls", "1000"), CultureInfo.InvariantCulture);
    string side = Option("side", "");
    var random = new Random(1);
    float[] pixels = Enumerable.Range(0, 784).Select(_ => (float)random.NextDouble()).ToArray();
    Action call;
    if (side == "ours")
    {
        const string Spec = "conv2d(20,5,relu) maxpool2d(2) conv2d(40,5,relu) maxpool2d(2) dense(100,relu) dense(10)";
        var builder = new NetworkBuilder<float>(new FeatureShape(1, 28, 28), seed: 1);
        foreach (string layer in Spec.Split(' '))
        {
            builder.Add(layer);
        }

        Network<float> ours = builder.Build(DeepLearning.Losses.Loss.CrossEntropy);
        Tensor<float> image = Tensor<float>.FromRow(pixels);
        call = () => ours.Predict(image);
    }
    else if (side == "torchsharp")
    {
        Nn.Module<Tensor, Tensor> theirs = Cnn(100);
        theirs.eval();
        Tensor input = torch.tensor(pixels).reshape(1, 784);
        call = () =>
        {
            using (torch.no_grad())
            using (torch.NewDisposeScope())
            {
                _ = F.softmax(theirs.forward(input), 1).data<float>()[0];
            }
        };
    }
    else
    {
        Console.Error.WriteLine("error: --side ours or --side torchsharp");
        return 2;
    }

    // Warm-up for two seconds: .NET compiles hot methods again, optimized, after about a tenth of a second of use.
    for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < 2;)
    {
        call();
    }

    var times = new double[calls];
    for (int i = 0; i < calls; i++)
    {
        long t0 = Stopwatch.GetTimestamp();
        call();
        times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    Array.Sort(times);
    Console.WriteLine(JsonSerializer.Serialize(new { side, calls, milliseconds = times[calls / 2], threads }));
    return 0;
}

int Peak()
{
    double seconds = double.Parse(Option("seconds", "1"), CultureInfo.InvariantCulture);
    PeakChains(0.1); // compiled and optimized before the timed run
    var workers = new Thread[threads];
    var flops = new double[threads];
    var start = new Barrier(threads + 1);
    for (int t = 0; t < threads; t++)
    {
        int index = t;
        workers[t] = new Thread(() =>
        {
            start.SignalAndWait();
            flops[index] = PeakChains(seconds);
        });
        workers[t].Start();
    }

    var clock = Stopwatch.StartNew();
    start.SignalAndWait();
    foreach (Thread worker in workers)
    {
        worker.Join();
    }

    double gflops = flops.Sum() / clock.Elapsed.TotalSeconds / 1e9;
    int bits = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 512 : 256;
    Console.WriteLine(JsonSerializer.Serialize(new { threads, bits, gflops }));
    return 0;
}

// Chains of fused multiply-adds until SECONDS have passed; returns FLOPs.
static double PeakChains(double seconds)
{
    const int Steps = 1_000_000;
    bool wide = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
    double flops = 0, sink = 0;
    for (var clock = Stopwatch.StartNew(); clock.Elapsed.TotalSeconds < seconds;)
    {
        sink += wide ? Chains512(Steps, 0.999999f, 1e-7f) : Chains256(Steps, 0.999999f, 1e-7f);
        flops += Steps * 12.0 * 2 * (wide ? 16 : 8);
    }

    return sink > 0 ? flops : 0; // the sums are positive: this keeps the chains from being optimized away
}

// 12 independent chains (enough to hide the FMA's latency on two FMA units), each step one fused multiply-add per chain.
// Their own method with no call inside: the 12 accumulators stay in registers (with a call in the loop's method, the JIT
// kept them on the stack and the probe measured a quarter of the peak).
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization | System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static float Chains512(int steps, float a, float b)
{
    var x = System.Runtime.Intrinsics.Vector512.Create(a);
    var y = System.Runtime.Intrinsics.Vector512.Create(b);
    System.Runtime.Intrinsics.Vector512<float> c0 = y, c1 = y, c2 = y, c3 = y, c4 = y, c5 = y, c6 = y, c7 = y, c8 = y, c9 = y, c10 = y, c11 = y;
    for (int i = 0; i < steps; i++)
    {
        c0 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c0, x, y);
        c1 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c1, x, y);
        c2 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c2, x, y);
        c3 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c3, x, y);
        c4 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c4, x, y);
        c5 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c5, x, y);
        c6 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c6, x, y);
        c7 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c7, x, y);
        c8 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c8, x, y);
        c9 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c9, x, y);
        c10 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c10, x, y);
        c11 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c11, x, y);
    }

    return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11)[0];
}

[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization | System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static float Chains256(int steps, float a, float b)
{
    var x = System.Runtime.Intrinsics.Vector256.Create(a);
    var y = System.Runtime.Intrinsics.Vector256.Create(b);
    System.Runtime.Intrinsics.Vector256<float> c0 = y, c1 = y, c2 = y, c3 = y, c4 = y, c5 = y, c6 = y, c7 = y, c8 = y, c9 = y, c10 = y, c11 = y;
    for (int i = 0; i < steps; i++)
    {
        c0 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c0, x, y);
        c1 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c1, x, y);
        c2 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c2, x, y);
        c3 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c3, x, y);
        c4 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c4, x, y);
        c5 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c5, x, y);
        c6 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c6, x, y);
        c7 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c7, x, y);
        c8 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c8, x, y);
        c9 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c9, x, y);
        c10 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c10, x, y);
        c11 = System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(c11, x, y);
    }

    return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11)[0];
}

static (Tensor X, Tensor Y) Load(string folder, string prefix, int limit)
{
    string Find(string name) => File.Exists(Path.Combine(folder, name)) ? Path.Combine(folder, name) : Path.Combine(folder, name + ".gz");
    IdxImages images = IdxFile.ReadImages(Find($"{prefix}-images-idx3-ubyte"));
    byte[] labels = IdxFile.ReadLabels(Find($"{prefix}-labels-idx1-ubyte"));
    int count = limit > 0 ? Math.Min(limit, images.Count) : images.Count;
    float[] x = new float[count * 784];
    for (int i = 0; i < x.Length; i++)
    {
        x[i] = images.Pixels[i] / 255f;
    }

    return (torch.tensor(x).reshape(count, 784), torch.tensor(labels.Take(count).Select(b => (long)b).ToArray()));
}

// TorchSharp 0.107 does not expose torch.backends.mkldnn.enabled; LibTorch's C++ API does: at::globalContext() and
// at::Context::setUserEnabledMkldnn(bool), called here by their Itanium-mangled names (a member function takes `this`
// as its first argument). libtorch_cpu.so is loaded by TorchSharp before this runs (torch.set_num_threads above).
static class LibTorch
{
    [System.Runtime.InteropServices.DllImport("libtorch_cpu.so", EntryPoint = "_ZN2at13globalContextEv")]
    public static extern IntPtr GlobalContext();

    [System.Runtime.InteropServices.DllImport("libtorch_cpu.so", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    public static extern void SetUserEnabledMkldnn(IntPtr context, [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.U1)] bool enabled);
}
