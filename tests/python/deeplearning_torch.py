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
