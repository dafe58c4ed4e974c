namespace Playground.Model;

/// <summary>One point: its coordinates (x₁, x₂; x₂ is 0 for the curve) and its label (0 or 1, or y for the curve).</summary>
public readonly record struct Point(double X1, double X2, double Label);

/// <summary>
/// The playground's data: four classification sets in the plane [−1, 1]² (a circle inside a ring, XOR's four
/// quadrants, two interleaved spirals, two Gaussian clusters) and a curve to fit, each with Gaussian noise, all drawn
/// from one seeded generator so that the same settings give the same points.
/// </summary>
public static class DataSets
{
    public const int Count = 300;

    /// <summary>The points, then split: the first <paramref name="trainShare"/> of a seeded shuffle trains.</summary>
    public static (Point[] Training, Point[] Test) Make(string name, double noise, double trainShare, int seed)
    {
        var random = new Random(seed);
        Point[] points = name switch
        {
            "circle" => Circle(random, noise),
            "xor" => Xor(random, noise),
            "spiral" => Spiral(random, noise),
            "gauss" => Gauss(random, noise),
            "curve" => Curve(random, noise),
            _ => throw new ArgumentException($"unknown data set '{name}'", nameof(name)),
        };
        random.Shuffle(points);
        int training = (int)Math.Round(points.Length * trainShare);
        return (points[..training], points[training..]);
    }

    /// <summary>The curve the regression set samples: y = 0.8·sin(πx).</summary>
    public static double CurveAt(double x) => 0.8 * Math.Sin(Math.PI * x);

    private static Point[] Circle(Random random, double noise)
    {
        var points = new Point[Count];
        for (int i = 0; i < Count; i++)
        {
            bool inside = i % 2 == 0;
            double radius = inside ? 0.45 * Math.Sqrt(random.NextDouble()) : 0.65 + (0.35 * random.NextDouble());
            double angle = 2 * Math.PI * random.NextDouble();
            points[i] = new Point((radius * Math.Cos(angle)) + (noise * Normal(random)),
                (radius * Math.Sin(angle)) + (noise * Normal(random)), inside ? 1 : 0);
        }

        return points;
    }

    private static Point[] Xor(Random random, double noise)
    {
        var points = new Point[Count];
        for (int i = 0; i < Count; i++)
        {
            // Keep a small margin around the axes, as TensorFlow Playground does, so the four quadrants are clear.
            double x1 = Away(random), x2 = Away(random);
            points[i] = new Point(x1 + (noise * Normal(random)), x2 + (noise * Normal(random)), x1 * x2 >= 0 ? 1 : 0);
        }

        return points;
    }

    private static Point[] Spiral(Random random, double noise)
    {
        var points = new Point[Count];
        for (int i = 0; i < Count; i++)
        {
            int label = i % 2;
            double t = (i / 2) / (double)(Count / 2);
            double radius = 0.05 + (0.9 * t);
            double angle = (1.25 * t * 2 * Math.PI) + (label * Math.PI);
            points[i] = new Point((radius * Math.Cos(angle)) + (noise * Normal(random)),
                (radius * Math.Sin(angle)) + (noise * Normal(random)), label);
        }

        return points;
    }

    private static Point[] Gauss(Random random, double noise)
    {
        var points = new Point[Count];
        for (int i = 0; i < Count; i++)
        {
            int label = i % 2;
            double centre = label == 1 ? 0.45 : -0.45;
            double spread = 0.2 + noise;
            points[i] = new Point(centre + (spread * Normal(random)), centre + (spread * Normal(random)), label);
        }

        return points;
    }

    private static Point[] Curve(Random random, double noise)
    {
        var points = new Point[Count];
        for (int i = 0; i < Count; i++)
        {
            double x = (2 * random.NextDouble()) - 1;
            points[i] = new Point(x, 0, CurveAt(x) + (noise * Normal(random)));
        }

        return points;
    }

    private static double Away(Random random)
    {
        double value = 0.1 + (0.9 * random.NextDouble());
        return random.Next(2) == 0 ? value : -value;
    }

    /// <summary>A standard normal number (Box–Muller).</summary>
    private static double Normal(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
