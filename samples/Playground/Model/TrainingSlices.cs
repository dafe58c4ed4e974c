using System.Diagnostics;

namespace Playground.Model;

/// <summary>
/// Training that leaves the page responsive: steps are taken in slices of about 40 ms, and the page is drawn between
/// slices (a browser runs .NET on its one UI thread). The Digits and Names pages share it.
/// </summary>
public static class TrainingSlices
{
    /// <summary>The length of a slice.</summary>
    public const int Milliseconds = 40;

    /// <summary>Takes steps slice by slice while <paramref name="going"/> holds.</summary>
    /// <param name="going">Whether to go on: checked before every step.</param>
    /// <param name="takeStep">Takes one step; true ends the slice early (to draw that step).</param>
    /// <param name="stepsPerSecond">Told the speed after each slice (0 until a quarter of a second of training was timed).</param>
    /// <param name="afterSlice">Draws the page.</param>
    public static async Task RunAsync(Func<bool> going, Func<bool> takeStep, Action<double> stepsPerSecond, Action afterSlice)
    {
        ArgumentNullException.ThrowIfNull(going);
        ArgumentNullException.ThrowIfNull(takeStep);
        ArgumentNullException.ThrowIfNull(stepsPerSecond);
        ArgumentNullException.ThrowIfNull(afterSlice);
        var timer = new Stopwatch();
        int steps = 0;
        while (going())
        {
            var slice = Stopwatch.StartNew();
            timer.Start();
            bool end;
            do
            {
                end = takeStep();
                steps++;
            }
            while (!end && slice.ElapsedMilliseconds < Milliseconds && going());
            timer.Stop();
            stepsPerSecond(timer.Elapsed.TotalSeconds >= 0.25 ? steps / timer.Elapsed.TotalSeconds : 0);
            afterSlice();
            await Task.Delay(1);
        }
    }
}
