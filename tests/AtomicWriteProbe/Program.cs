using System.Runtime.InteropServices;
using DeepLearning.IO;

// Usage: AtomicWriteProbe PATH SIGNAL — writes PATH through AtomicFile; after the first megabyte it sends itself SIGNAL
// (INT, TERM or HUP) and waits. The library's clean-up must delete the temporary file before the signal ends the
// process; the write never finishes, so nothing but the signal ends it.
if (args.Length != 2 || Signals.Number(args[1]) is not { } signal)
{
    Console.Error.WriteLine("usage: AtomicWriteProbe PATH INT|TERM|HUP");
    return 2;
}

AtomicFile.Write(args[0], (Stream stream) =>
{
    stream.Write(new byte[1 << 20]);
    stream.Flush();
    Console.WriteLine($"wrote {stream.Position} bytes; sending SIG{args[1]}");
    Console.Out.Flush();
    Signals.Raise(signal);
    Thread.Sleep(Timeout.Infinite);
});
Console.WriteLine("the write finished: the signal did not end the process");
return 0;

/// <summary>The signal numbers of Linux (x86-64 and arm64 share them) and kill(2).</summary>
internal static class Signals
{
    public static int? Number(string name) => name switch
    {
        "HUP" => 1,
        "INT" => 2,
        "TERM" => 15,
        _ => null,
    };

    public static void Raise(int signal)
    {
        if (Kill(Environment.ProcessId, signal) != 0)
        {
            throw new InvalidOperationException($"kill failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
