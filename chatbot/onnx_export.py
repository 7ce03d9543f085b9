"""Export the packaged all-MiniLM-L6-v2 to ONNX, once, in its own process: `python -m chatbot.onnx_export
MODEL_DIR OUT_DIR`. It is the only place ONNX touches torch, so the process that serves never imports it.

Writes OUT_DIR/model-fp32.onnx (the transformer, token embeddings out; pooling is done in numpy) and
OUT_DIR/model-int8.onnx (its MatMul weights quantised to int8 per channel, activations quantised on the
fly). Each file is written under a temporary name and renamed, so a reader sees a whole file or none,
and two processes exporting at once both leave a valid one.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

FP32 = "model-fp32.onnx"
INT8 = "model-int8.onnx"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17


def export_fp32(model_dir: str, target: Path) -> None:
    import torch
    from transformers import AutoModel

    # eager attention traces to plain MatMul/Softmax ops, which ONNX Runtime's optimiser knows how to fuse
    model = AutoModel.from_pretrained(model_dir, local_files_only=True, attn_implementation="eager").eval()

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: D401 - traced
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    ids = torch.full((2, 16), 1000, dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 9:] = 0  # a padded row, so the trace keeps the attention mask instead of folding it away
    with torch.inference_mode():
        torch.onnx.export(
            TokenEmbeddings(model), (ids, mask, torch.zeros_like(ids)), str(target),
            input_names=list(INPUTS), output_names=["token_embeddings"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "token_embeddings")},
            opset_version=OPSET, dynamo=False,
        )


def quantise_int8(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # MatMul only, per channel: quantising every op was 1.9x faster but moved vectors too far (issue 14)
    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul"],
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def _atomic(out_dir: Path, name: str, write) -> None:
    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
    os.close(fd)
    try:
        write(Path(temp))
        os.chmod(temp, 0o644)  # mkstemp makes it private; the cache is shared by whoever uses the venv
        os.replace(temp, out_dir / name)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def export(model_dir: str, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    if not (out_dir / FP32).is_file():
        _atomic(out_dir, FP32, lambda path: export_fp32(model_dir, path))
    if not (out_dir / INT8).is_file():
        _atomic(out_dir, INT8, lambda path: quantise_int8(out_dir / FP32, path))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m chatbot.onnx_export MODEL_DIR OUT_DIR", file=sys.stderr)
        return 2
    import warnings

    warnings.filterwarnings("ignore")  # the tracer's warnings are about code paths this model never takes
    export(args[0], Path(args[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
