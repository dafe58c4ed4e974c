using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DigitTrainer;

/// <summary>
/// A progress column with a task's time in seconds to one decimal ("0.4 s", "37.6 s"): Spectre's elapsed-time column
/// shows hh:mm:ss, which reads 00:00:00 for the dense network's sub-second epochs.
/// </summary>
internal sealed class SecondsColumn : ProgressColumn
{
    /// <inheritdoc/>
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        => new Text(Format(task.ElapsedTime), new Style(Color.Blue));

    /// <summary>The time as the column shows it: seconds to one decimal, "–" before the task starts.</summary>
    internal static string Format(TimeSpan? elapsed)
        => elapsed is { } time ? time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "–";
}
