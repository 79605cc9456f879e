"""The per-layer compression report (`mc-compile --report=FILE`).

The JSON (lib/Compression/Report.cpp) holds the model's totals and, per
layer with a constant weight, its state before and after compression:
kind, weight shape, parameters, non-zero weights, sparsity, pattern, rank,
storage bits and bytes.
"""
import json
import os

_LAYER_FIELDS = ("kind", "weight_shape", "params", "nonzero_weights",
                 "sparsity", "pattern", "rank", "bits", "bytes")


class Report:
    """A parsed compression report.

    Attributes:
        settings: the compression settings it was produced with (a dict).
        params_before, params_after: parameters in layers (weights and
            biases of linear, conv and matmul layers).
        bytes_before, bytes_after: bytes of every constant of the model at
            its storage width (the model's weights in the library).
        layers: a list of dicts ``{"name", "before", "after"}``; ``before``
            is None for a layer with no origin, and each side holds the
            fields of `_LAYER_FIELDS` (``rank`` only for split layers).
    """

    def __init__(self, data, settings=None):
        if not isinstance(data, dict) or "layers" not in data:
            raise ValueError("not an mc compression report: expected a JSON "
                             "object with 'layers'")
        self._data = data
        self.settings = dict(data.get("settings") or {})
        if settings:
            self.settings.update(settings)
        self.params_before = int(data["params_before"])
        self.params_after = int(data["params_after"])
        self.bytes_before = int(data["model_bytes_before"])
        self.bytes_after = int(data["model_bytes_after"])
        self.layers = [{"name": layer["name"],
                        "before": layer.get("before"),
                        "after": layer["after"]} for layer in data["layers"]]

    @property
    def compression_ratio(self):
        """bytes before / bytes after (1.0 when nothing changed)."""
        return self.bytes_before / self.bytes_after if self.bytes_after else 0.0

    @property
    def sparsity(self):
        """Fraction of zero weights over all layers after compression."""
        weights = sum(_elements(l["after"]) for l in self.layers)
        nonzero = sum(l["after"]["nonzero_weights"] for l in self.layers)
        return 1.0 - nonzero / weights if weights else 0.0

    def to_dict(self):
        """The report as plain data (the JSON's fields, settings merged)."""
        data = json.loads(json.dumps(self._data))
        data["settings"] = dict(self.settings)
        return data

    def rows(self):
        """One flat dict per layer, as in `table()`."""
        rows = []
        for layer in self.layers:
            before, after = layer["before"] or {}, layer["after"]
            rows.append({
                "layer": layer["name"], "kind": after["kind"],
                "params_before": before.get("params"),
                "params_after": after["params"],
                "sparsity": after["sparsity"], "pattern": after["pattern"],
                "rank": after.get("rank"), "bits": after["bits"],
                "bytes_before": before.get("bytes"),
                "bytes_after": after["bytes"]})
        return rows

    def table(self):
        """The report as a text table, one row per layer, then the totals."""
        header = ("layer", "kind", "params", "after", "sparsity", "pattern",
                  "rank", "bits", "bytes", "after")
        lines = []
        for r in self.rows():
            lines.append((r["layer"], r["kind"], _num(r["params_before"]),
                          _num(r["params_after"]),
                          f"{100 * r['sparsity']:.1f}%", r["pattern"],
                          "-" if r["rank"] is None else str(r["rank"]),
                          str(r["bits"]), _num(r["bytes_before"]),
                          _num(r["bytes_after"])))
        widths = [max(len(h), *(len(l[i]) for l in lines)) if lines else
                  len(h) for i, h in enumerate(header)]
        left = {0, 1, 5}

        def fmt(cells):
            return "  ".join(c.ljust(w) if i in left else c.rjust(w)
                             for i, (c, w) in enumerate(zip(cells, widths)))
        out = [fmt(header), fmt(["-" * w for w in widths])]
        out += [fmt(l) for l in lines]
        out.append(f"model: {self.params_before:,} -> {self.params_after:,} "
                   f"parameters in layers, {self.bytes_before:,} -> "
                   f"{self.bytes_after:,} bytes of constants "
                   f"({self.compression_ratio:.2f}x smaller)")
        return "\n".join(l.rstrip() for l in out)

    def __str__(self):
        return self.table()

    def __repr__(self):
        return (f"<mc.Report {len(self.layers)} layers, {self.bytes_before:,}"
                f" -> {self.bytes_after:,} bytes>")

    def _repr_html_(self):  # notebooks
        import html
        return "<pre>" + html.escape(self.table()) + "</pre>"


def _elements(side):
    n = 1
    for d in side["weight_shape"]:
        n *= d
    return n


def _num(value):
    return "-" if value is None else f"{value:,}"


def load_report(path):
    """Reads a `--report` JSON file into a Report."""
    with open(os.fspath(path)) as f:
        return Report(json.load(f))


def report(source, **compile_options):
    """The per-layer compression report.

    `source` is one of:

    * a `Report` (returned as is) or an `mc.Model` built by `mc.compile`
      (its report);
    * a dict (the parsed JSON) or the path of a ``--report`` JSON file;
    * a model (ONNX path, ``onnx.ModelProto``, ``torch.nn.Module`` with
      ``example_input=``) and `mc.compile` options: the compressor runs and
      stops before code generation, so no library is built.

    Returns a `Report`; ``print(report)`` shows the table, ``.to_dict()``
    gives the data.
    """
    from .runtime import Model
    if isinstance(source, Report):
        return source
    if isinstance(source, Model):
        if source.report is None:
            raise ValueError(f"model '{source.name}' was not built by "
                             f"mc.compile and has no report; pass the report"
                             f" JSON or the source model instead")
        return source.report
    if isinstance(source, dict):
        return Report(source)
    if isinstance(source, (str, os.PathLike)) and \
            os.fspath(source).endswith(".json"):
        if compile_options:
            raise TypeError("compile options apply to a model, not to a "
                            "report file")
        return load_report(source)
    from .compiler import compile_report
    return compile_report(source, **compile_options)
