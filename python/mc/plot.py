"""`mc.plot_tradeoff`: accuracy against model size for a sweep of settings."""
import csv
import os


def _load_rows(results):
    if isinstance(results, (str, os.PathLike)):
        with open(os.fspath(results), newline="") as f:
            return list(csv.DictReader(f))
    return [dict(r) for r in results]


def _number(value):
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def pareto_frontier(points):
    """Indices of the points (size, accuracy) that no other point beats:
    none is at most as large and at least as accurate, better in one.
    Sorted by size."""
    order = sorted(range(len(points)), key=lambda i: (points[i][0],
                                                      -points[i][1]))
    frontier, best = [], None
    for i in order:
        if best is None or points[i][1] > best:
            frontier.append(i)
            best = points[i][1]
    return frontier


def _overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_labels(fig, ax, rows, highlighted, polylines):
    """Puts each point's label where it overlaps no other label, point or
    frontier segment (greedy, in axes coordinates), with a leader line when
    it had to move away from its point."""
    renderer = fig.canvas.get_renderer()
    to_axes = ax.transAxes.inverted()
    to_display = ax.transData

    def axes_xy(x, y):
        return to_axes.transform(to_display.transform((x, y)))

    # Obstacles: the points, and thin boxes around the frontier's segments.
    r = 0.009
    obstacles = []
    for px, py, _ in rows:
        ax_, ay = axes_xy(px, py)
        obstacles.append((ax_ - r, ay - r, ax_ + r, ay + r))
    for lx, ly in polylines:
        pts = [axes_xy(a, b) for a, b in zip(lx, ly)]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            # the step plot: horizontal from (x0, y0) to (x1, y0), then up
            obstacles.append((min(x0, x1), y0 - 0.004, max(x0, x1),
                              y0 + 0.004))
            obstacles.append((x1 - 0.004, min(y0, y1), x1 + 0.004,
                              max(y0, y1)))
    placed = []
    # Place from the top down and left to right: crowded columns spread
    # downwards in order.
    order = sorted(range(len(rows)), key=lambda i: (-rows[i][1], rows[i][0]))
    for i in order:
        px, py, name = rows[i]
        text = f"{name} ({py:.1f}%)"
        color = "tab:red" if i in highlighted else "0.15"
        probe = ax.text(0, 0, text, fontsize=8, transform=ax.transAxes)
        box = probe.get_window_extent(renderer)
        probe.remove()
        w = box.width / ax.bbox.width
        h = box.height / ax.bbox.height
        ax_, ay = axes_xy(px, py)
        gap = 0.014
        candidates = []
        for k in range(0, 14):
            for dy in ((0.0,) if k == 0 else (k * 0.8 * h, -k * 0.8 * h)):
                for side in (1, -1):
                    candidates.append((side, dy))
        chosen = None
        for side, dy in candidates:
            x0 = ax_ + gap if side > 0 else ax_ - gap - w
            y0 = ay + dy - h / 2
            rect = (x0, y0, x0 + w, y0 + h)
            if rect[0] < 0 or rect[2] > 1 or rect[1] < 0 or rect[3] > 1:
                continue
            own = obstacles[i]
            if any(_overlaps(rect, o) for o in obstacles if o is not own):
                continue
            if any(_overlaps(rect, p) for p in placed):
                continue
            chosen = (side, dy, rect)
            break
        if chosen is None:  # nowhere free: right of the point
            chosen = (1, 0.0, (ax_ + gap, ay - h / 2, ax_ + gap + w,
                               ay + h / 2))
        side, dy, rect = chosen
        placed.append(rect)
        ax.annotate(text, xy=(ax_, ay), xycoords="axes fraction",
                    xytext=(rect[0] if side > 0 else rect[2],
                            (rect[1] + rect[3]) / 2),
                    textcoords="axes fraction",
                    ha="left" if side > 0 else "right", va="center",
                    fontsize=8, color=color, zorder=5,
                    arrowprops=dict(arrowstyle="-", color="0.6", lw=0.6,
                                    shrinkA=0, shrinkB=3)
                    if abs(dy) > 1e-9 else None)


def plot_tradeoff(results, path=None, *, x="model_bytes", y="accuracy",
                  label="setting", title=None, reference=None):
    """Draws accuracy against model size, one labelled point per setting,
    with the Pareto frontier (the settings nothing else beats) as a line.

    Args:
        results: a list of dicts (e.g. the rows `mc.sweep.run_sweep`
            returns) or the path of a sweep CSV. Rows without a number in
            `x` or `y` (failed settings) are left out.
        path: save the figure here as PNG (None: only return it).
        x: the size column, in bytes (plotted in KiB).
        y: the accuracy column, as a fraction (plotted in percent).
        label: the column naming each point.
        title: figure title (default: "Accuracy vs. model size").
        reference: the row whose accuracy is drawn as a dotted line
            (default: a row named "fp32" if any).

    Returns:
        The matplotlib Figure (drawn with the Agg backend; pyplot's global
        state is not touched).
    """
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.ticker import FuncFormatter

    rows = []
    for r in _load_rows(results):
        sx, sy = _number(r.get(x)), _number(r.get(y))
        if sx is not None and sy is not None:
            rows.append((sx / 1024.0, 100.0 * sy, str(r.get(label, ""))))
    if not rows:
        raise ValueError(f"no rows with numbers in '{x}' and '{y}' to plot")
    points = [(px, py) for px, py, _ in rows]
    frontier = pareto_frontier(points)
    on_frontier = set(frontier)

    fig = Figure(figsize=(9, 6), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    ref_name = reference if reference is not None else \
        ("fp32" if any(n == "fp32" for _, _, n in rows) else None)
    if ref_name is not None:
        for px, py, n in rows:
            if n == ref_name:
                ax.axhline(py, color="0.6", linestyle=":", linewidth=1,
                           zorder=1)
                break
    others = [i for i in range(len(rows)) if i not in on_frontier]
    ax.scatter([xs[i] for i in others], [ys[i] for i in others], s=36,
               facecolors="white", edgecolors="tab:blue", linewidths=1.3,
               zorder=3, label="setting")
    fx = [xs[i] for i in frontier]
    fy = [ys[i] for i in frontier]
    ax.step(fx + [max(xs)], fy + [fy[-1]], where="post", color="tab:red",
            linewidth=1.5, zorder=2, label="frontier (nothing smaller is "
            "more accurate)")
    ax.scatter(fx, fy, s=48, color="tab:red", zorder=4,
               label="on the frontier")

    # Axis ranges with room for labels on both sides.
    xmin, xmax = min(xs), max(xs)
    xpad = max(0.08 * (xmax - xmin), 0.08 * xmax, 1.0)
    ymin, ymax = min(ys), max(ys)
    ypad = max(0.06 * (ymax - ymin), 0.5)
    ax.set_xlim(max(0.0, xmin - 4 * xpad), xmax + 1.5 * xpad)
    ax.set_ylim(ymin - 2 * ypad, ymax + 2 * ypad)

    _place_labels(fig, ax, rows, on_frontier,
                  [(fx + [max(xs)], fy + [fy[-1]])])
    ax.set_xlabel("model size: bytes of weights and constants (KiB)")
    ax.set_ylabel("top-1 accuracy (%)")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.grid(True, color="0.9", zorder=0)
    # The legend goes above the axes, where it cannot hide a point.
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3,
              fontsize=8, frameon=False)
    ax.set_title(title or "Accuracy vs. model size", pad=24)
    fig.tight_layout()
    if path is not None:
        fig.savefig(os.fspath(path), format="png")
    return fig
