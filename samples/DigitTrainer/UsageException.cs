namespace DigitTrainer;

/// <summary>A command-line mistake: reported as one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
