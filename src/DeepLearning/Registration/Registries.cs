using DeepLearning.Activations;
using DeepLearning.Clipping;
using DeepLearning.Initialization;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Regularization;
using DeepLearning.Schedules;

namespace DeepLearning;

/// <summary>
/// The registry of each family of concepts: the one place that lists them. A new activation, loss, initializer,
/// regularizer, optimizer, schedule, clipping rule or kind of layer is one file with its class and one <c>Register</c> line — here for the
/// library's own, anywhere at start-up for yours; the trainer's options and help, the model file, safetensors, the docs'
/// lists and the tests find it from there.
/// </summary>
/// <example>
/// <code>
/// foreach (string line in Registries.Activations.Describe()) Console.WriteLine(line);
/// IActivation σ = Registries.Activations.Create("leaky_relu(0.01)");
/// IOptimizer adam = Registries.Optimizers.Create("adam(lr=0.01)");
/// </code>
/// </example>
public static class Registries
{
    static Registries()
    {
        Activations.Register("sigmoid", "", "σ(z) = 1 / (1 + e^(−z))", _ => Activation.Sigmoid);
        Activations.Register("tanh", "", "tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))", _ => Activation.Tanh);
        Activations.Register("relu", "", "max(0, z)", _ => Activation.ReLU);
        Activations.Register("leaky_relu", "alpha = 0.01", "z for z > 0, else α·z", a => new LeakyReLU(a.GetNumber("alpha")));
        Activations.Register("identity", "", "z (a linear layer)", _ => Activation.Identity, "linear");
        Activations.Register("softmax", "", "e^(zᵢ) / Σⱼ e^(zⱼ) over each row", _ => Activation.Softmax);
        Activations.Register("gelu", "", "z·Φ(z) = ½z·(1 + erf(z/√2))", _ => Activation.Gelu);
        Activations.Register("gelu_tanh", "", "½z·(1 + tanh(√(2/π)·(z + 0.044715z³))), GPT-2's", _ => Activation.GeluTanh);

        Losses.Register("quadratic", "", "½‖a − y‖² per sample (Nielsen's), mean over the batch", _ => Loss.Quadratic);
        Losses.Register("mse", "", "mean of (a − y)² over the outputs, mean over the batch", _ => Loss.MeanSquaredError, "mean_squared_error", "meansquarederror");
        Losses.Register("cross_entropy", "", "−Σ y·log softmax(z) on logits z, mean over the batch", _ => Loss.CrossEntropy, "crossentropy");
        Losses.Register("binary_cross_entropy", "", "−Σ [y·log σ(z) + (1 − y)·log(1 − σ(z))] on logits z", _ => Loss.BinaryCrossEntropy, "binarycrossentropy");

        Initializers.Register("standard_normal", "", "N(0, 1), the textbook's", _ => Initializer.StandardNormal);
        Initializers.Register("gaussian", "mean = 0, std = 1", "N(mean, std²)", a => new Gaussian(a.GetNumber("mean"), a.GetNumber("std")));
        Initializers.Register("glorot_uniform", "", "U(±√(6/(n_in + n_out)))", _ => Initializer.GlorotUniform, "glorot", "xavier");
        Initializers.Register("he_normal", "", "N(0, 2/n_in)", _ => Initializer.HeNormal, "he");
        Initializers.Register("zeros", "", "all 0", _ => Initializer.Zeros);

        Regularizers.Register("l2", "lambda", "adds (λ/2n)·Σw² to the loss (Nielsen's convention)", a => new L2(a.GetNumber("lambda")));

        Optimizers.Register("gradient_descent", "lr = 0.1, momentum = 0", "w ← w − ε·∂L/∂w; with momentum μ: v ← μv − ε·∂L/∂w, w ← w + v", a => new GradientDescent(a.GetNumber("lr"), a.GetNumber("momentum")), "sgd");
        Optimizers.Register("adam", "lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8", "steps scaled by running averages of g and g² (Kingma and Ba)", a => new Adam(a.GetNumber("lr"), a.GetNumber("beta1"), a.GetNumber("beta2"), a.GetNumber("eps")));
        Optimizers.Register("adamw", "lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.01", "Adam, each weight first shrunk by ε·λ·w (decoupled weight decay)", a => new AdamW(a.GetNumber("lr"), a.GetNumber("beta1"), a.GetNumber("beta2"), a.GetNumber("eps"), a.GetNumber("weight_decay")));

        Schedules.Register("constant", "", "ε at every step", _ => new Constant());
        Schedules.Register("step", "every, gamma = 0.1", "ε·γ^⌊epoch/every⌋: cut by γ every few epochs", a => new StepDecay(a.GetSize("every"), a.GetNumber("gamma")));
        Schedules.Register("warmup", "steps", "linear from ε/w to ε over the first w steps, then ε", a => new Warmup(a.GetSize("steps")));
        Schedules.Register("cosine", "warmup = 0, min = 0", "linear warm-up, then from ε down to min·ε along half a cosine by the last step", a => new Cosine(a.GetInteger("warmup"), a.GetNumber("min")));

        Clipping.Register("norm", "max", "scales all gradients together down to a global L2 norm of at most max", a => new ClipNorm(a.GetNumber("max")), "clip_norm");
        Clipping.Register("value", "limit", "cuts every gradient to [−limit, limit]", a => new ClipValue(a.GetNumber("limit")), "clip_value");

        Layers.Register<Dense<float>, Dense<double>>("dense", "outputs, activation = identity, bias = true, init = auto, bias_init = zeros", "A = σ(X·W + b), W n_in×n_out");
        Layers.Register<Dropout<float>, Dropout<double>>("dropout", "rate, [seed]", "while training, drops each input with probability p and scales the rest by 1/(1−p)");
        Layers.Register<Conv2D<float>, Conv2D<double>>("conv2d", "filters, kernel, activation = identity, stride = 1, padding = 0, bias = true, init = auto, bias_init = zeros", "F filters of k×k over a C×H×W image: σ(P·W + b), W (C·k·k)×F, one row of P per patch");
        Layers.Register<MaxPool2D<float>, MaxPool2D<double>>("maxpool2d", "kernel, stride = 0, padding = 0", "the largest value of each k×k window, per channel (stride 0: k)");
        Layers.Register<ActivationLayer<float>, ActivationLayer<double>>("activation", "function", "σ(x) for every value; an activation's name alone (relu) is this layer");
        Layers.Register<BatchNorm<float>, BatchNorm<double>>("batch_norm", "momentum = 0.1, eps = 1e-5", "γ·(x − μ)/√(σ² + ε) + β per feature or channel, μ and σ² of the batch (running averages at inference)");
        Layers.Register<LayerNorm<float>, LayerNorm<double>>("layer_norm", "eps = 1e-5", "γ·(x − μ)/√(σ² + ε) + β, μ and σ² over each sample's (each position's) features");
        Layers.Register<Residual<float>, Residual<double>>("residual", "layers", "x + F(x): the layers F (separated by spaces) with their input added back");
        Layers.Register<Sequential<float>, Sequential<double>>("sequential", "layers, times = 1", "the layers (separated by spaces) as one, repeated times over with weights of their own");
        Layers.Register<Embedding<float>, Embedding<double>>("embedding", "vocabulary, dimension, init = standard_normal", "token ids to vectors: row id of a V×D table, for each of T ids");
        Layers.Register<Flatten<float>, Flatten<double>>("flatten", "", "a sequence T×D (or an image) as one flat vector, position by position, as nn.Flatten");
        Layers.Register<PositionEmbedding<float>, PositionEmbedding<double>>("position_embedding", "[length]", "x_t + P_t: a learned row added at each position t of a sequence");
        Layers.Register<Context<float>, Context<double>>("context", "size", "each position with the size − 1 before it, side by side (zeros before the start)");
        Layers.Register<GlobalMaxPool<float>, GlobalMaxPool<double>>("global_max_pool", "", "the largest value of each feature over all positions (T×D → D), or of each channel over its pixels");
        Layers.Register<Rnn<float>, Rnn<double>>("rnn", "hidden, activation = tanh", "h_t = σ(x_t·W_x + b_x + h_(t−1)·W_h + b_h), every h_t");
        Layers.Register<Gru<float>, Gru<double>>("gru", "hidden", "a recurrent layer with reset and update gates (PyTorch's nn.GRU), every h_t");
        Layers.Register<SelfAttention<float>, SelfAttention<double>>("self_attention", "heads, causal = true", "each position a softmax(q·k/√d)-weighted mix of the values of the positions it sees");
    }

    /// <summary>The activation functions.</summary>
    public static Registry<IActivation> Activations { get; } = new("activation");

    /// <summary>The loss functions.</summary>
    public static Registry<ILoss> Losses { get; } = new("loss");

    /// <summary>The weight initializers.</summary>
    public static Registry<IInitializer> Initializers { get; } = new("initializer");

    /// <summary>The regularizers.</summary>
    public static Registry<IRegularizer> Regularizers { get; } = new("regularizer");

    /// <summary>The optimizers.</summary>
    public static Registry<IOptimizer> Optimizers { get; } = new("optimizer");

    /// <summary>The learning-rate schedules.</summary>
    public static Registry<ISchedule> Schedules { get; } = new("schedule");

    /// <summary>The rules of gradient clipping.</summary>
    public static Registry<IGradientClipping> Clipping { get; } = new("clipping");

    /// <summary>The kinds of layer.</summary>
    public static LayerRegistry Layers { get; } = new();
}
