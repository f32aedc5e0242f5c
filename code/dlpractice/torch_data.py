r"""PyTorch's data pipeline: column tensors, a Dataset, seeded loaders.

A PyTorch layer takes a *batch* of samples, one sample per row: :math:`N` inputs of one
feature are an :math:`(N, 1)` tensor, and so are their targets. A
:class:`torch.utils.data.Dataset` hands out one sample at a time, and a
:class:`torch.utils.data.DataLoader` stacks samples into batches, in an order drawn by
its *sampler*. This module keeps the three small and seeded:

- :func:`as_column` and :func:`course_tensors` make the ``(N, 1)`` tensors;
- :class:`RegressionDataset` is a Dataset over two such columns;
- :func:`seeded_loader` shuffles with its own :class:`torch.Generator`, never the global
  seed, so that nothing else in a program changes its batches;
- :class:`PermutationSampler` draws the order of chapter 3's numpy mini-batch descent
  (:func:`dlpractice.descent.minibatch_descent`), so that a PyTorch loop can visit
  exactly the same batches.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch.utils.data import DataLoader, Dataset, Sampler

from ._validation import as_bounded_count, as_count, as_flag, as_float_vector
from .data import course_data


def as_column(
    name: str,
    values: ArrayLike,
    *,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """``values`` as an ``(N, 1)`` tensor: one sample per row, one feature per column.

    Parameters
    ----------
    name : str
        The argument's name, for error messages.
    values : array_like
        ``N`` finite real numbers, as a flat sequence or a column of shape ``(N, 1)``.
    dtype : torch.dtype
        ``torch.float32`` (PyTorch's default, what ``torch.Tensor(...)`` makes) or
        ``torch.float64``.

    Returns
    -------
    torch.Tensor
        Shape ``(N, 1)``.

    Raises
    ------
    TypeError
        If ``values`` are not real numbers, or ``dtype`` is not a floating dtype.
    ValueError
        If ``values`` are empty, not finite, or neither flat nor one column.

    Examples
    --------
    >>> as_column("x", [1.0, 2.0, 3.0]).shape
    torch.Size([3, 1])
    >>> as_column("x", [[1.0], [2.0]], dtype=torch.float64).dtype
    torch.float64
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point or dtype.is_complex:
        raise TypeError(f"dtype must be a floating torch.dtype, got {dtype!r}")
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().numpy()
    try:
        shape = np.shape(values)
    except ValueError:  # ragged nesting: as_float_vector says what is wrong
        shape = ()
    if len(shape) == 2 and shape[1] == 1:
        values = np.asarray(values)[:, 0]
    elif len(shape) == 2:
        raise ValueError(f"{name} must be flat or one column, got shape {shape}")
    vector = as_float_vector(name, values)
    column = torch.as_tensor(vector, dtype=dtype).reshape(-1, 1)
    if not bool(torch.isfinite(column).all()):
        bad = int(torch.nonzero(~torch.isfinite(column))[0, 0])
        largest = torch.finfo(dtype).max
        raise ValueError(
            f"{name} must fit in {dtype} (at most {largest:.4g} in size), got "
            f"{vector[bad]:g} at index {bad}"
        )
    return column


def course_tensors(
    *,
    dtype: torch.dtype = torch.float32,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The course's data ``x = [1, 2, 3]``, ``y = [2, 4, 6]`` as two ``(3, 1)`` tensors.

    The same values as the course's ``torch.Tensor([[1.0], [2.0], [3.0]])`` and
    ``torch.Tensor([[2.0], [4.0], [6.0]])``.

    Examples
    --------
    >>> x, y = course_tensors()
    >>> x.squeeze(1).tolist(), y.squeeze(1).tolist(), x.dtype
    ([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], torch.float32)
    """
    x, y = course_data()
    return as_column("x", x, dtype=dtype), as_column("y", y, dtype=dtype)


class RegressionDataset(Dataset):
    """A :class:`torch.utils.data.Dataset` of pairs ``(x_n, y_n)``: input and target.

    A Dataset needs two methods: ``len(dataset)``, the number of samples, and
    ``dataset[n]``, sample ``n``. Here sample ``n`` is ``(x[n], y[n])``, two tensors of
    shape ``(1,)``, which a :class:`~torch.utils.data.DataLoader` stacks into ``(B, 1)``
    batches.

    Parameters
    ----------
    x, y : array_like
        Inputs and targets, ``N`` finite numbers each (flat or one column).
    dtype : torch.dtype
        Floating dtype of the tensors.

    Attributes
    ----------
    x, y : torch.Tensor
        The whole data set as ``(N, 1)`` columns.

    Raises
    ------
    ValueError
        If ``x`` and ``y`` differ in length (or are empty or not finite).

    Examples
    --------
    >>> data = RegressionDataset([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    >>> len(data), data[2]
    (3, (tensor([3.]), tensor([6.])))
    """

    def __init__(
        self,
        x: ArrayLike,
        y: ArrayLike,
        *,
        dtype: torch.dtype = torch.float32,
    ) -> None:
        self.x = as_column("x", x, dtype=dtype)
        self.y = as_column("y", y, dtype=dtype)
        if self.x.shape != self.y.shape:
            raise ValueError(
                f"x and y must have the same length, got {self.x.shape[0]} inputs and "
                f"{self.y.shape[0]} targets"
            )

    def __len__(self) -> int:
        return self.x.shape[0]

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        n = self.x.shape[0]
        if isinstance(index, slice):
            return self.x[index], self.y[index]
        if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"index must be an integer, got {type(index).__name__}")
        if not -n <= index < n:
            raise IndexError(f"index must be in [{-n}, {n}), got {index}")
        return self.x[index], self.y[index]


def seeded_loader(
    dataset: Dataset,
    *,
    batch_size: int,
    seed: int = 0,
    shuffle: bool = True,
    drop_last: bool = False,
) -> DataLoader:
    """A DataLoader whose shuffling comes from its own generator, seeded with ``seed``.

    ``DataLoader(..., shuffle=True)`` without a generator draws its orders from
    PyTorch's global generator, so anything else that draws random numbers (a new
    layer's initialisation, dropout) changes the batches. With its own
    ``torch.Generator().manual_seed(seed)`` the loader gives the same sequence of
    batches on every run, whatever else the program does. Iterating the loader again
    starts the next epoch, with a new order.

    Parameters
    ----------
    dataset : torch.utils.data.Dataset
        With ``len`` and integer indexing.
    batch_size : int
        Samples per batch, from 1 to ``len(dataset)``.
    seed : int
        Seed of the loader's generator.
    shuffle : bool
        Draw a new order every epoch (else the dataset's own order).
    drop_last : bool
        Leave out the last batch of an epoch if it is smaller than ``batch_size``.

    Returns
    -------
    torch.utils.data.DataLoader

    Raises
    ------
    TypeError
        If ``dataset`` is not a Dataset or an argument is not an integer.
    ValueError
        If ``batch_size`` is out of range.

    Examples
    --------
    >>> data = RegressionDataset(range(10), range(10))
    >>> [len(xb) for xb, yb in seeded_loader(data, batch_size=4)]
    [4, 4, 2]
    >>> [len(xb) for xb, yb in seeded_loader(data, batch_size=4, drop_last=True)]
    [4, 4]
    """
    if not isinstance(dataset, Dataset):
        kind = type(dataset).__name__
        raise TypeError(f"dataset must be a torch.utils.data.Dataset, got {kind}")
    if not hasattr(dataset, "__len__"):
        raise TypeError("dataset must have a length (len(dataset)), got one without __len__")
    if len(dataset) == 0:
        raise ValueError("dataset must hold at least one sample, got an empty one")
    batch_size = as_count("batch_size", batch_size, maximum=len(dataset))
    seed = as_count("seed", seed, minimum=0, maximum=2**64 - 1)
    shuffle = as_flag("shuffle", shuffle)
    drop_last = as_flag("drop_last", drop_last)
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=shuffle,
        drop_last=drop_last,
        generator=generator,
    )


class PermutationSampler(Sampler):
    """The order of :func:`~dlpractice.descent.minibatch_descent`, as a PyTorch sampler.

    Each iteration (each epoch of a DataLoader built with ``sampler=``) yields the
    indices ``rng.permutation(n)``, drawn from one ``numpy.random.default_rng(seed)``
    made when the sampler is made: the orders chapter 3's numpy descent visits, epoch
    for epoch.

    Parameters
    ----------
    n : int
        Number of samples, at least 1.
    seed : int
        Seed of the numpy generator.

    Examples
    --------
    >>> import numpy as np
    >>> sampler = PermutationSampler(5, seed=3)
    >>> rng = np.random.default_rng(3)
    >>> [list(sampler) == rng.permutation(5).tolist() for epoch in range(3)]
    [True, True, True]
    """

    def __init__(self, n: int, *, seed: int = 0) -> None:
        self.n = as_bounded_count("n", n, what="samples")
        self.seed = as_count("seed", seed, minimum=0)
        self._rng = np.random.default_rng(self.seed)

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[int]:
        return iter(self._rng.permutation(self.n).tolist())
