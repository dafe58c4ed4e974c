"""PyTorch's side of DeepLearning's interop: read and write safetensors files with plain torch (no safetensors
package), and the modules PyTorch has no class for, so that a network saved by the library builds here from the code in
its metadata ('deeplearning.pytorch') and loads its state dict — and a network trained here saves for the library.

    import deeplearning_torch as dl
    model, metadata = dl.load("names.safetensors")      # nn.Sequential(...) with the saved weights and buffers
    dl.save("trained.safetensors", model)               # state dict as safetensors, PyTorch's names and layouts

Layouts: a flat sample is a row [n]; an image [C, H, W]; a sequence [T, D] (batch_first, as nn.Linear, nn.LayerNorm and
nn.RNN take it); token ids are int64 [T]. The library stores a sequence's row feature by feature (its own choice, see
FeatureShape); rows_to_sequence and sequence_to_rows convert.
"""
import json
import math
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
NAMES = {v: k for k, v in DTYPES.items()}


def read_safetensors(path):
    """The tensors of a safetensors file, by name, and its metadata."""
    raw = open(path, "rb").read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    metadata = header.pop("__metadata__", {})
    data = raw[8 + length:]
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"]).clone()
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes tensors (a state dict) as safetensors: 8 bytes of header length, the JSON header, the data."""
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, tensor in tensors.items():
        t = tensor.detach().contiguous()
        raw = t.numpy().tobytes()
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    open(path, "wb").write(struct.pack("<Q", len(text)) + text + data)


def load(path, dtype=None):
    """The nn.Sequential a file saved by the library describes, with its weights and buffers loaded."""
    tensors, metadata = read_safetensors(path)
    model = eval(metadata["deeplearning.pytorch"], {"nn": nn, "dl": __import__(__name__)})
    if dtype is None:
        dtype = next(t.dtype for t in tensors.values() if t.is_floating_point())
    model = model.to(dtype)
    model.load_state_dict(tensors, strict=True)
    return model, metadata


def save(path, model, metadata=None):
    write_safetensors(path, model.state_dict(), metadata)


def rows_to_sequence(x, positions, features):
    """The library's rows [m, D·T] (feature by feature) as [m, T, D]."""
    return x.reshape(x.shape[0], features, positions).transpose(1, 2)


def sequence_to_rows(x):
    """[m, T, D] as the library's rows [m, D·T]."""
    return x.transpose(1, 2).reshape(x.shape[0], -1)


class Residual(nn.Module):
    """x + body(x): the library's residual(...)."""

    def __init__(self, *modules):
        super().__init__()
        self.body = nn.Sequential(*modules)

    def forward(self, x):
        return x + self.body(x)


class PositionEmbedding(nn.Module):
    """x + weight[:T]: the library's position_embedding, a learned row per position (weight [length, D])."""

    def __init__(self, length, features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(length, features))

    def forward(self, x):
        return x + self.weight[: x.shape[1]]


class Context(nn.Module):
    """The library's context(size): each position with the size − 1 before it, oldest first, zeros before the start."""

    def __init__(self, size):
        super().__init__()
        self.size = size

    def forward(self, x):
        m, t, d = x.shape
        padded = F.pad(x, (0, 0, self.size - 1, 0))
        return torch.cat([padded[:, j:j + t] for j in range(self.size)], dim=2)


class GlobalMaxPool(nn.Module):
    """The library's global_max_pool: the largest value of each feature over the positions ([m, T, D] → [m, D]), or of
    each channel over its pixels ([m, C, H, W] → [m, C]); the gradient goes to the first maximum, as max(dim) picks it."""

    def forward(self, x):
        return x.max(dim=1).values if x.dim() == 3 else x.flatten(2).max(dim=2).values


class RNN(nn.Module):
    """nn.RNN(batch_first=True) giving every hidden state: the library's rnn(hidden, tanh|relu)."""

    def __init__(self, input_size, hidden_size, nonlinearity="tanh"):
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size, nonlinearity=nonlinearity, batch_first=True)

    def forward(self, x):
        return self.rnn(x)[0]


class GRU(nn.Module):
    """nn.GRU(batch_first=True) giving every hidden state: the library's gru(hidden)."""

    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.gru = nn.GRU(input_size, hidden_size, batch_first=True)

    def forward(self, x):
        return self.gru(x)[0]


class SelfAttention(nn.Module):
    """The library's self_attention(heads, causal): qkv and proj, two nn.Linear, around scaled dot-product attention
    (F.scaled_dot_product_attention(q, k, v, is_causal=causal) from PyTorch 2.0, written out for 1.13)."""

    def __init__(self, features, heads, causal=True):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.qkv = nn.Linear(features, 3 * features)
        self.proj = nn.Linear(features, features)

    def forward(self, x):
        m, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        q, k, v = (z.view(m, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
        if self.causal:
            scores = scores.masked_fill(torch.tril(torch.ones(t, t, dtype=torch.bool)) == 0, float("-inf"))
        y = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).contiguous().view(m, t, d)
        return self.proj(y)


def transformer(vocabulary, positions, channels=64, heads=4, blocks=4, hidden=256, dropout=0.2):
    """The name writer's transformer (makemore's: 4 blocks of 4 heads, 64 channels), as the nn.Sequential the library's
    safetensors metadata describes for

        embedding(V,64) position_embedding sequential(residual(layer_norm self_attention(4) dropout(0.2))
        residual(layer_norm dense(256,gelu_tanh) dense(64) dropout(0.2)), times=4) layer_norm dense(V, bias=false)

    so that its state dict has the library's names ('0.weight', '2.0.body.1.qkv.weight', ...). Input: token ids, int64
    [m, T]; output: the next token's logits at every position, [m, T, V]."""
    layers = []
    for _ in range(blocks):
        layers.append(Residual(nn.LayerNorm(channels), SelfAttention(channels, heads, causal=True), nn.Dropout(dropout)))
        layers.append(Residual(nn.LayerNorm(channels), nn.Linear(channels, hidden), nn.GELU(approximate="tanh"),
                               nn.Linear(hidden, channels), nn.Dropout(dropout)))
    return nn.Sequential(nn.Embedding(vocabulary, channels), PositionEmbedding(positions, channels), nn.Sequential(*layers),
                         nn.LayerNorm(channels), nn.Linear(channels, vocabulary, bias=False))


def next_character_data(names, characters, positions):
    """makemore's layout, the library's CharacterVocabulary.NextCharacterData: x = [0, c1, ..., cn, 0, ...],
    y = [c1, ..., cn, 0, -1, ...], token k the k-th character of 'characters' (0 the start and end)."""
    index = {c: k + 1 for k, c in enumerate(characters)}
    x = torch.zeros(len(names), positions, dtype=torch.int64)
    y = torch.full((len(names), positions), -1, dtype=torch.int64)
    for i, name in enumerate(names):
        tokens = [index[c] for c in name]
        x[i, 1:len(tokens) + 1] = torch.tensor(tokens, dtype=torch.int64)
        y[i, :len(tokens)] = torch.tensor(tokens, dtype=torch.int64)
        y[i, len(tokens)] = 0
    return x, y


def mean_loss(model, x, y, batch=1024):
    """The mean of -ln p over every position with a target (PyTorch's ignore_index=-1), in nats per character."""
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, x.shape[0], batch):
            logits = model(x[start:start + batch])
            target = y[start:start + batch]
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]).double(), target.reshape(-1), ignore_index=-1, reduction="sum").item()
            count += int((target >= 0).sum())
    return total / count
