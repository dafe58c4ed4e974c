using System.Text;

namespace DigitTrainer;

/// <summary>Wraps a line of text at spaces so that no line is longer than the terminal, continuation lines indented.</summary>
internal static class TextWrap
{
    public static string Wrap(string text, int width, int indent = 2)
    {
        if (text.Length <= width)
        {
            return text;
        }

        var result = new StringBuilder();
        int lineLength = 0;
        foreach (string word in text.Split(' '))
        {
            if (lineLength > 0 && lineLength + 1 + word.Length > width)
            {
                result.AppendLine();
                result.Append(' ', indent);
                lineLength = indent;
            }
            else if (lineLength > 0)
            {
                result.Append(' ');
                lineLength++;
            }

            result.Append(word);
            lineLength += word.Length;
        }

        return result.ToString();
    }
}
