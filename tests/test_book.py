"""The built site: strict build, the numbers the chapters claim, figures, math, buttons."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, chapters

# Text each chapter's executed outputs must show: the course's numbers, and the claims the
# prose makes about them.
EXPECTED = {
    "01_linear_model": [
        "cost (MSE):  4.666666666666667",
        "0.30000000000000004",  # the seed's arange grid, as the chapter explains
        "best w on the grid: 2.0, cost there: 0.0",
        "grid minimum: w = 2.0, b = 0.0, cost = 0.0",
        "exact best weight: 2.0",
        "prediction for x = 4: [8.]",
        "training 30, validation 15, test 15 samples",
        "least validation error at degree 8",
        "least squares: w = 2.4367, b = 1.0471, cost = 1.0421",
        "minimum cost / noise^2: [0.985139 0.985139 0.985139]",
        "variance of least -log L on the grid: 1.042",
        "test MSE (15 samples):     0.1210",
        "degree 3 on the same new data: 0.0999",
    ],
    "02_gradient_descent": [
        "Predict (before training) 4 4.0",
        "Epoch: 0 w= 1.0933333333333333 loss= 4.666666666666667",
        "Epoch: 99 w= 1.9999444396553017 loss= 1.752432687141379e-08",
        "Predict (after training) 4 7.999777758621207",
        "identical weights: True",
        "identical printed losses: True",
        "critical learning rate: 0.21428571428571427 = 3/14 = 0.21428571428571427",
        "DivergenceError: gradient descent diverged",
        "condition number: 46.1",
        "np.sum([0.1, 0.2, 0.3]) = 0.6000000000000001",
        "0 0.0000 0.0 0.0 saddle (saddle)",
        "start -0.50: after 250 steps x = -0.011865, f = +0.0000",
        "start +1.90: after 250 steps x = +1.000000, f = -0.2833",
        "start +2.10: after 250 steps x = +3.000000, f = -1.3500",
        "largest α·f″ on [-0.5, 3]: 0.900",
        "from 0.05, steps to reach 0.5: 82 (leading order: 60)",
        "steps to within 1e-6: centred 20, uncentred 1230",
        "run: first k with |w_k - 2| < 1e-6 is 142",
    ],
    "03_stochastic_gradient_descent": [
        "progress: 99 w= 1.9999999999999236 loss= 5.250973729513143e-26",
        "Predict (after training) 4 7.9999999999996945",
        "identical: True",
        "exact ends at [0. 0.]",
    ],
    "04_backpropagation": [
        "loss = 1.0   dloss/dw = -2.0",
        "dloss/dw = -8.0   dloss/db = -4.0",
        "by hand:   [2.0, 2.0, 2.0]",
        "by engine: [2.0, 2.0, 2.0]",
        "by torch:  [2.0, 2.0, 2.0]",
        "with a sigmoid, still equal to one linear layer? False",
        "forward pass b: dloss/db = 2.0",
        "our backward pass reads 45 numbers of the forward pass",
        "PyTorch keeps 45 numbers for the same network",
        "backward pass:           B = 140 = 1.4 F",
        "forward mode / reverse mode: 32.5",
        "8        73      1168     18688",
        "x.grad after x + x twice and x*x once: 10.0",
        "tanh: largest / smallest layer gradient = 1.5",
        "frozen first layer: sigmoid keeps 30, relu 30",
    ],
    "05_autograd_engine": [
        "df/dx = 7.0",
        "after a second backward(): 14.0",
        "after zero_grad() and backward(): 7.0",
        "o = 0.7071, do/dw1 = 1.0000, do/dw2 = 0.0000",
        "final w, engine:        1.9999444396553017",
        "loss: 15.8327 at the start, 0.0226 after 500 steps",  # the rounding-level gap
        # between engine and matrices is printed too, but its last digits depend on the CPU
        "ValueError: log is defined for positive values, got -1.0",
        "a chain of 5001 nodes: d/dx = 5001.0",
        "nodes in one step's graph: 84",
        "by hand: 84, printed above: 84",
        "1-16-1 on 256 samples, as in the benchmark: by hand 26163",
        "rate 0.02: final loss 0.0348, lowest 0.0348 at step 299",
    ],
    "06_tensors_and_autograd": [
        "w.data: tensor([1.])   w.grad: None   leaf: True",
        "dloss/dw = tensor([-2.])",
        "RuntimeError: Trying to backward through the graph a second time",
        "second backward: tensor([-4.])",
        "RuntimeError: a leaf Variable that requires grad is being used in an in-place",
        "nodes kept alive by the tensor sum: 121",
        "torch.tensor(3)    shape ()    dtype torch.int64",
        "torch.Tensor(3)    shape (3,)  dtype torch.float32",
        "RuntimeError: Only Tensors of floating point and complex dtype can require gradients",
        "f(-0.5) = 13.5, df/dx = -27.0, graph:",
        "AccumulateGrad (w) (see #1)",
        "nodes: 41, printed lines: 81",
        "dx/dw = 1099511627776 = 2**40: True",
        "RuntimeError: grad can be implicitly created only for scalar outputs",
        "y.backward(gradient=v):   tensor([-1.0000,  2.5000,  0.0000])",
        "(v * y).sum().backward(): tensor([-1.0000,  2.5000,  0.0000])",
        "after optimizer.zero_grad():        weight.grad = None",
        "after model.zero_grad():            weight.grad = None",
        "AttributeError: 'NoneType' object has no attribute 'zero_'",
        "w.grad.requires_grad = False",
        "w.data - 0.01 * w.grad       requires_grad=False grad_fn=None",
        "w - 0.01 * w.grad.data       requires_grad=True  grad_fn=SubBackward0",
        "detach(): RuntimeError: one of the variables needed for gradient computation has been",
        ".data:     no error, w.grad = 1.0 (2w at the old w is 2.0)",
        "representable numbers between w and 2: 3",
        "progress: 99 9.094947017729282e-13",
        "predict (after training) 4 7.999998569488525",
        "the same loop in float64: w = 1.9999999999999236  equal to numpy: True",
    ],
    "07_linear_regression_pytorch": [
        "warning: size_average and reduce args will be deprecated",
        "99 0.14524152874946594",
        "w =  1.7462902069091797",
        "y_pred =  tensor([[7.5619]])",
        "1000 epochs: w = 1.999624, b = 0.000855, predict(4) = 7.999351",
        "lr 0.07: training diverged",
        "AttributeError: cannot assign module before Module.__init__() call",
        "after model.forward(x): the hook has run 1 time(s)",
        "UserWarning: Using a target size (torch.Size([3])) that is different to the input size"
        " (torch.Size([3, 1]))",
        "loss with targets of shape (3,):   5.333333",
        "ValueError: the model's output has shape (3, 1) but the target has shape (3,); MSELoss"
        " would broadcast them to (3, 3)",
        "trained:       w = 1.88505, b = +0.11884",
        "training MSE 0.9816   test MSE 1.2457",
        "epoch 0: [[3, 7, 5, 2], [0, 8, 1, 6], [9, 4]]",
        "a new loader with seed 0 gives the same two epochs: True",
        "batch of 2: dloss/dprediction = [-1.0, -1.0]",
        "torch.float32  updates 100,",
        "loss = 2.66667 (8/3 = 2.66667)",
        "unseeded DataLoader  batches change when a layer is built: True",
        "seeded_loader        batches change when a layer is built: False",
    ],
    "08_momentum": [
        "condition number kappa = L / mu = 46.1450, sqrt(kappa) = 6.7930",
        "gradient descent   0.17647  0.00000  0.957577682",
        "heavy ball         0.27399  0.55258  0.743359781",
        "nesterov           0.09015  0.74336  0.852789871",
        "gradient descent        319       319      319",
        "heavy ball               47        61       61",
        "nesterov                 87       104      104",
        "heavy ball, 100 steps of torch.optim.SGD(nesterov=False):",
        "rate 0.9487 = sqrt(0.9) = 0.9487",
        "closed form: alpha = 0.1193, beta = 0.710, rate 0.83063",
        "condition number after centring: 1.50",
        "gradient descent  rate 0.2000",
    ],
    "09_optimizers": [
        "SGD            6.70e-02        0.1      1.18e-02         1.0",
        "Rprop          4.91e-03       0.03      1.03e-03         1.0",
        "LBFGS          6.83e+00          1      1.78e-10         1.0",
        "RMSprop   moves w by 10.00 α and b by 10.00 α",
        "averaging starts at step t0 = 1000000.0",
        "SGD  warm-up + cosine best rate 0.3 loss 3.81e-03",
        "Rprop, cosine schedule or none: the same loss at every step? True",
        "ridge solution for λ = 0.5: w = 1.7087, b = 0.4660",
        "8/5 = 1.6, 8/15 = 0.5333333333333333",
    ],
    "10_watching_training": [
        "500 losses recorded; first 44.361, last 4.44e-04",
        "100%|##############################| 100/100 steps",
        "BackendUnavailable: no visdom server at http://localhost:8097",
        "100 loss values in the event file",
        "step  99: 0.145242",
        "first raw average 2.6986, corrected 26.9859",
        "step 50: recursion 1.134207, direct formula 1.134207",
        "lowest validation loss 0.2793 at step 59",
        "stopped at step 109: no new best for 50 steps",
        "best step 59, validation loss there 0.2793",
        "DivergenceError: training diverged: the loss grew to",
        "the rule fires at step: never",
        "beta 0.9: formula 44 steps, package 44 steps",
        "patience  20: stops at 34, best step 14",
    ],
    "appendix_math": [
        "chain rule: -18.0   central difference: -18.00000000   torch: -18.0",
        "shape of the difference: (3, 3)",
        "eigenvalues: [ 0.2404 11.0929]   condition number: 46.1",
    ],
}


def page_text(path: Path) -> str:
    """The visible text of a page, tags stripped and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def normalised(text: str) -> str:
    """Text with every run of white space made one space, so that a check compares words
    and numbers, not how a line was wrapped."""
    return " ".join(text.split())


def chapter_page(built: Path, name: str) -> Path:
    return built / "book" / f"{name}.html"


def test_every_chapter_is_in_the_toc_and_built(built_book):
    toc = (ROOT / "_toc.yml").read_text()
    for chapter in chapters():
        assert f"book/{chapter.stem}" in toc, (
            f"book/{chapter.name} is missing from _toc.yml: add `- file: book/{chapter.stem}` "
            "under its part"
        )
        assert chapter_page(built_book, chapter.stem).is_file(), (
            f"book/{chapter.name} has no page in {built_book}: see the build log above"
        )
    for name in sorted({c.stem for c in chapters()} - set(EXPECTED)):
        pytest.fail(
            f"book/{name}.md has no entry in EXPECTED in tests/test_book.py: add the printed "
            "lines its prose relies on"
        )
    for name in sorted(set(EXPECTED) - {c.stem for c in chapters()}):
        pytest.fail(
            f"EXPECTED in tests/test_book.py names {name}, which is not a chapter: remove it"
        )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pages_show_the_values_the_chapters_claim(built_book, name):
    text = normalised(page_text(chapter_page(built_book, name)))
    for expected in EXPECTED[name]:
        assert normalised(expected) in text, (
            f"book/{name}.md: {expected!r} is not in the executed page. If the chapter's output "
            "changed on purpose, check its prose and update EXPECTED in tests/test_book.py"
        )
    assert "Traceback" not in text, (
        f"book/{name}.md: an output shows a Traceback: catch the error in its cell and print "
        "`type(error).__name__: error`, as the chapters do"
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_figures_are_deterministic_svg_on_a_white_card(built_book, name):
    page = chapter_page(built_book, name).read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]+src="([^"]+)"', page)
    outputs = [src for src in images if "_images/" in src]
    assert outputs, (
        f"book/{name}.md has no figure: every chapter draws at least one (plt.show() in a "
        "code cell, after use_book_style())"
    )
    for src in outputs:
        assert src.endswith(".svg"), (
            f"book/{name}.md: {src} is not SVG: call dlpractice.plotting.use_book_style() "
            "once at the top of the chapter"
        )
        svg = (chapter_page(built_book, name).parent / src).resolve().read_text()
        assert "<dc:date>" not in svg, (
            f"book/{name}.md: {src} carries a date, so the build is not reproducible: draw it "
            "after use_book_style(), which leaves the date out"
        )
        assert "fill: #ffffff" in svg, (
            f"book/{name}.md: {src} has no white background (unreadable in dark mode): draw "
            "it after use_book_style(), and do not set a transparent facecolor"
        )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_chapter_opens_with_goals_and_ends_with_exercises_and_solutions(built_book, name):
    page = chapter_page(built_book, name).read_text(encoding="utf-8")
    text = page_text(chapter_page(built_book, name))
    assert "In this chapter" in text or "In this appendix" in text, (
        f"book/{name}.md does not open with an `In this chapter` admonition: copy the one in "
        "book/_template.md"
    )
    assert "Summary" in text, f"book/{name}.md has no `## Summary` section before its exercises"
    exercises = len(re.findall(r'class="[^"]*\bexercise\b[^"]*admonition', page))
    solutions = len(re.findall(r'class="[^"]*\bsolution\b[^"]*admonition', page))
    assert exercises >= 3, (
        f"book/{name}.md has {exercises} exercises: give it at least three ({{exercise}} "
        "blocks, each with its {solution}, as in book/_template.md)"
    )
    assert solutions == exercises, (
        f"book/{name}.md has {exercises} exercises but {solutions} solutions: give each "
        "exercise one {solution} (or {solution-start}/{solution-end}) naming its label"
    )
    assert re.search(r'class="[^"]*\bsolution\b[^"]*dropdown', page), (
        f"book/{name}.md: solutions must fold: give each `:class: dropdown`"
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_launch_button_opens_this_chapter_in_binder_jupyterlab(built_book, name):
    page = chapter_page(built_book, name).read_text(encoding="utf-8")
    launch = re.findall(r'href="(https://mybinder\.org/v2/gh/[^"]+)"', page)
    assert launch, (
        f"book/{name}.md has no Binder button: it needs the jupytext header and kernelspec "
        "of book/_template.md"
    )
    assert launch[0].endswith(f"urlpath=lab/tree/book/{name}.md"), launch[0]
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert launch[0].startswith(
        "https://mybinder.org/v2/gh/" + repository.removeprefix("https://github.com/") + "/"
    ), f"the Binder button does not open _config.yml's repository ({repository}): {launch[0]}"


def test_math_is_served_by_the_site_itself(built_book):
    for page in built_book.rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        assert "cdn.jsdelivr.net" not in source and "mathjax@" not in source, page
    chapter = chapter_page(built_book, "01_linear_model").read_text(encoding="utf-8")
    assert re.search(r'src="\.\./_static/mathjax/startup\.js(\?v=\w+)?"', chapter)
    for component in ("startup.js", "core.js", "input/tex.js", "output/chtml.js"):
        assert (built_book / "_static" / "mathjax" / component).is_file(), component
    assert (built_book / "_static" / "mathjax" / "a11y" / "assistive-mml.js").is_file()
    assert any((built_book / "_static" / "mathjax" / "output" / "chtml").rglob("*.woff"))


def test_api_reference_documents_the_package(built_book):
    text = page_text(built_book / "book" / "api.html")
    for name in [
        "course_data",
        "noisy_line",
        "mse",
        "cost_surface",
        "least_squares",
        "mse_gradient",
        "central_difference",
        "gradient_descent",
        "minibatch_descent",
        "DivergenceError",
        "descent_explorer",
        "stationary_kind",
        "holdout_split",
        "fit_polynomial",
        "errors_by_degree",
        "momentum_descent",
        "convergence_rate",
        "momentum_explorer",
        "exponential_moving_average",
        "EarlyStopping",
        "gradient_norm",
    ]:
        assert name in text, f"{name} is missing from the API reference"


# The terms the glossary must give with their Chinese names (issue 15's list, at least).
GLOSSARY_TERMS = [
    ("gradient", "梯度"),
    ("derivative", "导数"),
    ("partial derivative", "偏导数"),
    ("eigenvalue", "特征值"),
    ("eigenvector", "特征向量"),
    ("curvature", "曲率"),
    ("convergence", "收敛"),
    ("divergence", "发散"),
    ("local minimum", "局部最优"),
    ("global minimum", "全局最优"),
    ("overfitting", "过拟合"),
    ("generalization", "泛化"),
    ("training set", "训练集"),
    ("validation set", "验证集"),
    ("test set", "测试集"),
    ("momentum", "动量"),
    ("weight decay", "权重衰减"),
    ("automatic differentiation", "自动微分"),
    ("forward mode", "前向模式"),
    ("reverse mode", "反向模式"),
    ("topological sort", "拓扑排序"),
    ("closure", "闭包"),
    ("single precision", "单精度浮点数"),
    ("variance", "方差"),
    ("centring", "中心化"),
    ("normalization", "归一化"),
    ("early stopping", "早停"),
    ("gradient descent", "梯度下降"),
    ("loss", "损失"),
    ("mean squared error", "均方误差"),
    ("learning rate", "学习率"),
    ("stochastic gradient descent", "随机梯度下降"),
    ("saddle point", "鞍点"),
]


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_glossary_gives_each_term_with_its_chinese_name(built_book, edition):
    """Each term is a glossary entry (a <dt>), and its definition (the <dd>) starts with
    the Chinese name, in both editions."""
    html = (built_book / edition / "book" / "glossary.html").read_text(encoding="utf-8")
    entries = {
        re.sub(r"<[^>]+>|¶|#", "", term).strip().lower(): re.sub(r"<[^>]+>", "", definition)
        for term, definition in re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd>(.*?)</dd>", html, re.S)
    }
    for english, chinese in GLOSSARY_TERMS:
        assert english in entries, f"{edition}glossary: no entry for {english!r}"
        assert chinese in entries[english][:60], (
            f"{edition}glossary: {english!r} is not given as {chinese}: {entries[english][:80]!r}"
        )


def test_chapters_are_myst_notebooks_without_outputs():
    for chapter in [*chapters(), ROOT / "book" / "_template.md"]:
        source = chapter.read_text(encoding="utf-8")
        assert source.startswith("---\njupytext:"), (
            f"book/{chapter.name}: no jupytext header: copy the first lines of book/_template.md"
        )
        assert "kernelspec:" in source and "name: python3" in source, (
            f"book/{chapter.name}: the header needs the python3 kernelspec of book/_template.md"
        )
        assert "```{code-cell} ipython3" in source, (
            f"book/{chapter.name}: no ```{{code-cell}} ipython3 block: the chapter runs no code"
        )
        assert "from dlpractice" in source, (
            f"book/{chapter.name} does not import dlpractice: put the logic it runs into the "
            "package (code/dlpractice/, with tests) and import it"
        )


def test_chapter_code_fits_the_page():
    """Code cells wider than the content column scroll sideways; keep them readable."""
    for chapter in [*chapters(), ROOT / "book" / "_template.md"]:
        cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", chapter.read_text(), re.S)
        for cell in cells:
            # a cell's YAML options (caption, alt text) are not shown as code
            code = re.sub(r"\A---\n.*?\n---\n", "", cell, flags=re.S)
            for line in code.splitlines():
                assert len(line) <= 88, (
                    f"book/{chapter.name}: a code line of {len(line)} characters (at most 88 "
                    f"fit the page): break it: {line!r}"
                )
