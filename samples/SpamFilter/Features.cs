using DeepLearning;
using DeepLearning.Data;

namespace SpamFilter;

/// <summary>The words network's input: ln(1 + count) of each of a fixed list of words, the naive Bayes's kind of features.</summary>
internal static class WordFeatures
{
    /// <summary>The <paramref name="count"/> words found in the most training mails (ties in alphabetical order).</summary>
    public static string[] Vocabulary(IEnumerable<Mail> training, int count)
    {
        var mailsWith = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Mail mail in training)
        {
            foreach (string word in NaiveBayes.Words(mail.Text).Distinct(StringComparer.Ordinal))
            {
                mailsWith[word] = mailsWith.GetValueOrDefault(word) + 1;
            }
        }

        return [.. mailsWith.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(count).Select(p => p.Key)];
    }

    /// <summary>One row per mail: value k is ln(1 + how often word k occurs); label 1 for spam, 0 for ham.</summary>
    public static DataSet<float> Encode(IReadOnlyList<Mail> mails, string[] vocabulary)
    {
        var column = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < vocabulary.Length; k++)
        {
            column[vocabulary[k]] = k;
        }

        var inputs = new Tensor<float>(mails.Count, vocabulary.Length);
        var counts = new int[vocabulary.Length];
        for (int i = 0; i < mails.Count; i++)
        {
            Array.Clear(counts);
            foreach (string word in NaiveBayes.Words(mails[i].Text))
            {
                if (column.TryGetValue(word, out int k))
                {
                    counts[k]++;
                }
            }

            for (int k = 0; k < counts.Length; k++)
            {
                inputs[i, k] = MathF.Log(1 + counts[k]);
            }
        }

        return new DataSet<float>(inputs, [.. mails.Select(m => m.IsSpam ? 1 : 0)], 2);
    }
}

/// <summary>The bytes network's input: the first bytes of a mail's text, each byte its own token id.</summary>
internal static class ByteFeatures
{
    /// <summary>
    /// One row per mail: the first <paramref name="length"/> bytes of its subject, a line feed and its body, as token ids
    /// 0 to 255 (a mail is read as Latin-1, one character per byte), padded with 0 — a byte mails do not contain — when
    /// shorter. Label 1 for spam, 0 for ham.
    /// </summary>
    public static DataSet<float> Encode(IReadOnlyList<Mail> mails, int length)
    {
        var inputs = new Tensor<float>(mails.Count, length);
        for (int i = 0; i < mails.Count; i++)
        {
            string text = mails[i].Text;
            for (int t = 0; t < Math.Min(length, text.Length); t++)
            {
                inputs[i, t] = (byte)text[t];
            }
        }

        return new DataSet<float>(inputs, [.. mails.Select(m => m.IsSpam ? 1 : 0)], 2);
    }
}
