"""dlpractice: the small, readable package behind the book *PyTorch Deep Learning Practice*.

One module, one idea:

- :mod:`dlpractice.data` -- the course's data sets and seeded synthetic ones;
- :mod:`dlpractice.linear_model` -- the model ``y_hat = x*w + b``, its loss and its cost;
- :mod:`dlpractice.cost_landscape` -- the cost over a grid of parameters, and the exact minimum;
- :mod:`dlpractice.gradients` -- the gradient of the cost, by formula and by finite differences;
- :mod:`dlpractice.descent` -- batch, stochastic and mini-batch gradient descent;
- :mod:`dlpractice.plotting` -- the book's figure style and its recurring figures.

Chapters import what they need by name, for example
``from dlpractice.linear_model import mse``.
"""

__version__ = "0.1.0"
