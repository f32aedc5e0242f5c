"""dlpractice: the small, readable package behind the book *PyTorch Deep Learning Practice*.

One module, one idea:

- :mod:`dlpractice.data` -- the course's data sets and seeded synthetic ones;
- :mod:`dlpractice.linear_model` -- the model ``y_hat = x*w + b``, its loss and its cost;
- :mod:`dlpractice.cost_landscape` -- the cost over a grid of parameters, and the exact minimum;
- :mod:`dlpractice.generalization` -- held-out data: train/validation/test splits, polynomial
  fits, errors per degree;
- :mod:`dlpractice.gradients` -- the gradient of the cost, by formula and by finite differences;
- :mod:`dlpractice.curvature` -- the Hessian of the cost, and the learning rate it allows;
- :mod:`dlpractice.divergence` -- when a run counts as divergent, for the numpy and the torch
  loops alike;
- :mod:`dlpractice.descent` -- batch, stochastic and mini-batch gradient descent;
- :mod:`dlpractice.momentum` -- heavy-ball and Nesterov momentum, and their exact rates on a
  quadratic;
- :mod:`dlpractice.nonconvex` -- a one-dimensional cost with a saddle, a local and a global
  minimum;
- :mod:`dlpractice.two_layer_net` -- the course's two-layer network, backward pass by hand;
- :mod:`dlpractice.autograd` -- a reverse-mode autodiff engine on scalars;
- :mod:`dlpractice.engine_nn` -- layers and a loss built from that engine;
- :mod:`dlpractice.graph_drawing` -- pictures of the engine's computation graphs;
- :mod:`dlpractice.torch_graph` -- the graph PyTorch records, as text, each node once;
- :mod:`dlpractice.torch_data` -- PyTorch's data pipeline: column tensors, a Dataset, seeded
  loaders;
- :mod:`dlpractice.training` -- one training loop for the PyTorch chapters;
- :mod:`dlpractice.optimizer_comparison` -- a fair race between ``torch.optim`` optimizers, with
  schedules and weight decay;
- :mod:`dlpractice.monitor` -- watching training: live plots, visdom, TensorBoard;
- :mod:`dlpractice.plotting` -- the book's figure style and its recurring figures;
- :mod:`dlpractice.widgets` -- figures readers operate on the static site, without a kernel.

Chapters import what they need by name, for example
``from dlpractice.linear_model import mse``.
"""

__version__ = "0.1.0"
