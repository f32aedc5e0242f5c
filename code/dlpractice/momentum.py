r"""Momentum: Polyak's heavy ball and Nesterov's accelerated gradient, and their exact rates.

Plain gradient descent forgets every gradient as soon as it has used it. Momentum keeps a
*velocity* :math:`v`, a decaying sum of past steps, and moves by it:

.. math::

    \text{heavy ball:}\quad v \leftarrow \beta v - \alpha \nabla f(\theta),
    \qquad \theta \leftarrow \theta + v;

    \text{Nesterov:}\quad v \leftarrow \beta v - \alpha \nabla f(\theta + \beta v),
    \qquad \theta \leftarrow \theta + v.

Nesterov takes the gradient where the velocity is about to carry the parameters (the
*look-ahead* point) rather than where they are. With :math:`\beta = 0` both are gradient
descent.

On a quadratic with Hessian :math:`H` and minimum :math:`\theta^\star`, the error
:math:`e_k = \theta_k - \theta^\star` obeys a linear recurrence of order two. For each
eigenvalue :math:`\lambda` of :math:`H`, the pair :math:`(e_k, e_{k-1})` along its
eigenvector is multiplied at every step by the 2x2 *iteration matrix*

.. math::

    T_{\text{heavy ball}} = \begin{pmatrix} 1 + \beta - \alpha\lambda & -\beta \\
                                            1 & 0 \end{pmatrix},
    \qquad
    T_{\text{Nesterov}} = \begin{pmatrix} (1 - \alpha\lambda)(1 + \beta) &
                                          -(1 - \alpha\lambda)\beta \\ 1 & 0 \end{pmatrix},

and the error shrinks, in the long run, by the *spectral radius* :math:`\rho` (the largest
eigenvalue modulus) of these matrices, taken over all eigenvalues of :math:`H`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from . import curvature
from ._validation import (
    as_bounded_count,
    as_data,
    as_finite_real,
    as_flag,
    as_float_array,
    as_float_vector,
    as_size,
    check_scalar,
    overflow_error,
)
from .cost_landscape import SufficientStatistics
from .divergence import DivergenceError, divergence_limit
from .gradients import _cost_and_gradient

#: The methods :func:`textbook_settings` knows.
METHODS = ("gradient descent", "heavy ball", "nesterov")


def _momentum(value: object) -> float:
    """Check a momentum factor: a finite number in [0, 1)."""
    return check_scalar(
        "momentum",
        value,
        low=0,
        high=1,
        closed="left",
        why="at 1 or more the velocity never decays",
    )


def _settings(learning_rate: object, momentum: object) -> tuple[float, float]:
    learning_rate = check_scalar("learning_rate", learning_rate, low=0, closed="neither")
    return learning_rate, _momentum(momentum)


#: The largest Hessian the closed forms accept (its iteration matrix is twice as wide).
MAX_DIMENSION = 1000


def _as_hessian(value: object) -> np.ndarray:
    """Check a Hessian: a square, symmetric, finite 2-D array."""
    matrix = as_float_array("hessian", value)  # refuses strings, complex, NaN, grad tensors
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.size == 0:
        raise ValueError(f"hessian must be a square matrix, got shape {matrix.shape}")
    if matrix.shape[0] > MAX_DIMENSION:
        raise ValueError(
            f"hessian must be at most {MAX_DIMENSION} x {MAX_DIMENSION}, got shape {matrix.shape}"
        )
    if not np.allclose(matrix, matrix.T, rtol=1e-12, atol=1e-12):
        raise ValueError("hessian must be symmetric")
    return matrix


def _check_step(
    params: object, velocity: object, gradient: object
) -> tuple[np.ndarray, np.ndarray]:
    """Check the arguments of one public momentum step."""
    if not callable(gradient):
        raise TypeError(f"gradient must be callable, got {type(gradient).__name__}")
    params_array = as_float_array("params", params)
    velocity_array = as_float_array("velocity", velocity)
    if params_array.shape != velocity_array.shape:
        raise ValueError(
            f"velocity must have the shape of params {params_array.shape}, got "
            f"{velocity_array.shape}"
        )
    return params_array, velocity_array


def _checked_gradient(
    gradient: Callable[[np.ndarray], np.ndarray],
    params: np.ndarray,
    velocity: np.ndarray,
    learning_rate: float,
    momentum: float,
) -> Callable[[np.ndarray], np.ndarray]:
    """``gradient``, refusing a value that is not finite, not of the parameters' shape, or
    that would make the step overflow float64."""

    def checked(point: np.ndarray) -> np.ndarray:
        if not np.all(np.isfinite(point)):
            raise overflow_error("params, velocity and momentum", "params + momentum*velocity")
        value = as_float_array("gradient(params)", gradient(point))
        if value.shape != params.shape and value.shape != ():
            raise ValueError(
                f"gradient must return an array of the shape of params {params.shape}, "
                f"got {value.shape}"
            )
        with np.errstate(over="ignore", invalid="ignore"):
            step = momentum * velocity - learning_rate * value
            moved = params + step
        if not (np.all(np.isfinite(step)) and np.all(np.isfinite(moved))):
            raise overflow_error("params, velocity and learning_rate", "the step")
        return value

    return checked


def _check_look_ahead(params: np.ndarray, velocity: np.ndarray, momentum: float) -> None:
    with np.errstate(over="ignore", invalid="ignore"):
        ahead = params + momentum * velocity
    if not np.all(np.isfinite(ahead)):
        raise overflow_error("params, velocity and momentum", "params + momentum*velocity")


def heavy_ball_step(
    params: np.ndarray,
    velocity: np.ndarray,
    gradient: Callable[[np.ndarray], np.ndarray],
    *,
    learning_rate: float,
    momentum: float,
) -> tuple[np.ndarray, np.ndarray]:
    r"""One step of Polyak's heavy-ball method.

    .. math:: v \leftarrow \beta v - \alpha \nabla f(\theta), \qquad \theta \leftarrow \theta + v

    Parameters
    ----------
    params, velocity : numpy.ndarray
        The parameters :math:`\theta` and the velocity :math:`v` (zeros at the start).
    gradient : callable
        Maps parameters to the gradient of the cost there.
    learning_rate : float
        :math:`\alpha > 0`.
    momentum : float
        :math:`\beta` in :math:`[0, 1)`.

    Returns
    -------
    tuple of numpy.ndarray
        The new parameters and the new velocity.

    Raises
    ------
    ValueError
        If ``learning_rate`` is not a positive finite number or ``momentum`` is not in
        :math:`[0, 1)`.

    Examples
    --------
    On :math:`f(\theta) = \theta^2` from :math:`\theta = 1` at rest, with
    :math:`\alpha = 0.1, \beta = 0.5`:

    >>> theta, v = heavy_ball_step(np.array([1.0]), np.array([0.0]), lambda t: 2 * t,
    ...                            learning_rate=0.1, momentum=0.5)
    >>> theta.tolist(), v.tolist()
    ([0.8], [-0.2])
    >>> theta, v = heavy_ball_step(theta, v, lambda t: 2 * t,
    ...                            learning_rate=0.1, momentum=0.5)
    >>> theta.round(12).tolist(), v.round(12).tolist()
    ([0.54], [-0.26])
    """
    learning_rate, momentum = _settings(learning_rate, momentum)
    params, velocity = _check_step(params, velocity, gradient)
    gradient = _checked_gradient(gradient, params, velocity, learning_rate, momentum)
    velocity = momentum * velocity - learning_rate * gradient(params)
    return params + velocity, velocity


def _heavy_ball(params, velocity, gradient, learning_rate, momentum):
    """:func:`heavy_ball_step` on checked values."""
    velocity = momentum * velocity - learning_rate * gradient(params)
    return params + velocity, velocity


def nesterov_step(
    params: np.ndarray,
    velocity: np.ndarray,
    gradient: Callable[[np.ndarray], np.ndarray],
    *,
    learning_rate: float,
    momentum: float,
) -> tuple[np.ndarray, np.ndarray]:
    r"""One step of Nesterov's accelerated gradient, in velocity form.

    .. math:: v \leftarrow \beta v - \alpha \nabla f(\theta + \beta v),
              \qquad \theta \leftarrow \theta + v

    The gradient is taken at the look-ahead point :math:`\theta + \beta v`, where the
    velocity alone would carry the parameters.

    Parameters and Raises as in :func:`heavy_ball_step`.

    Returns
    -------
    tuple of numpy.ndarray
        The new parameters and the new velocity.

    Examples
    --------
    The first step from rest is a plain gradient step; the second looks ahead:

    >>> theta, v = nesterov_step(np.array([1.0]), np.array([0.0]), lambda t: 2 * t,
    ...                          learning_rate=0.1, momentum=0.5)
    >>> theta.tolist()
    [0.8]
    >>> theta, v = nesterov_step(theta, v, lambda t: 2 * t,
    ...                          learning_rate=0.1, momentum=0.5)
    >>> theta.round(12).tolist(), v.round(12).tolist()
    ([0.56], [-0.24])
    """
    learning_rate, momentum = _settings(learning_rate, momentum)
    params, velocity = _check_step(params, velocity, gradient)
    gradient = _checked_gradient(gradient, params, velocity, learning_rate, momentum)
    _check_look_ahead(params, velocity, momentum)
    ahead = params + momentum * velocity  # where the velocity is about to carry us
    velocity = momentum * velocity - learning_rate * gradient(ahead)
    return params + velocity, velocity


def _nesterov(params, velocity, gradient, learning_rate, momentum):
    """:func:`nesterov_step` on checked values."""
    ahead = params + momentum * velocity  # where the velocity is about to carry us
    velocity = momentum * velocity - learning_rate * gradient(ahead)
    return params + velocity, velocity


@dataclass(frozen=True)
class MomentumRun:
    """The trajectory of one momentum run on the linear model's cost.

    Attributes
    ----------
    w, b : numpy.ndarray
        The parameters :math:`\\theta_k` before the first step and after each step.
    w_ahead, b_ahead : numpy.ndarray
        The look-ahead points :math:`\\theta_k + \\beta v_k`, where Nesterov takes the
        gradient. PyTorch's ``SGD(nesterov=True)`` stores these as its parameters. For heavy
        ball they are not used, and are returned all the same.
    cost : numpy.ndarray
        The cost at ``(w[k], b[k])``.
    learning_rate, momentum : float
    nesterov : bool
    diverged : bool
        True if the run was stopped because the cost blew up (only with
        ``allow_divergence=True``).
    """

    w: np.ndarray
    b: np.ndarray
    w_ahead: np.ndarray
    b_ahead: np.ndarray
    cost: np.ndarray
    learning_rate: float
    momentum: float
    nesterov: bool
    diverged: bool

    @property
    def steps(self) -> int:
        """Number of steps made."""
        return self.w.size - 1

    def distance(self, w_star: float, b_star: float = 0.0) -> np.ndarray:
        r"""The error :math:`\lVert\theta_k - \theta^\star\rVert` after each step."""
        w_star, b_star = as_finite_real("w_star", w_star), as_finite_real("b_star", b_star)
        with np.errstate(over="ignore", invalid="ignore"):
            distance = np.hypot(self.w - w_star, self.b - b_star)
        if not np.all(np.isfinite(distance)):
            raise overflow_error("w_star and b_star", "the distance")
        return distance


def momentum_descent(
    x: ArrayLike,
    y: ArrayLike,
    *,
    w0: float,
    b0: float | None = None,
    learning_rate: float,
    momentum: float,
    steps: int,
    nesterov: bool = False,
    allow_divergence: bool = False,
) -> MomentumRun:
    r"""Heavy ball or Nesterov on the MSE of ``y_hat = x*w + b``, one step per epoch.

    Starts at rest (:math:`v_0 = 0`) and repeats :func:`heavy_ball_step` (or
    :func:`nesterov_step`) on the gradient over all samples. With ``momentum=0`` this is
    :func:`~dlpractice.descent.gradient_descent`.

    Parameters
    ----------
    x, y : array_like
        The data set.
    w0 : float
        Starting weight.
    b0 : float or None
        Starting bias; ``None`` for the model without bias (``b`` stays 0).
    learning_rate : float
        :math:`\alpha > 0`.
    momentum : float
        :math:`\beta` in :math:`[0, 1)`.
    steps : int
        Number of steps, at least 1.
    nesterov : bool
        Take the gradient at the look-ahead point.
    allow_divergence : bool
        If True, a run that blows up stops and is returned with ``diverged=True``;
        otherwise it raises.

    Returns
    -------
    MomentumRun

    Raises
    ------
    ValueError
        For bad data, a learning rate that is not a positive finite number, a momentum
        outside :math:`[0, 1)`, or a step count below 1.
    DivergenceError
        If the cost grows a million-fold and ``allow_divergence`` is False; the message
        gives the spectral radius of the iteration matrix for these settings.

    Examples
    --------
    >>> run = momentum_descent([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], w0=0.0, b0=1.5,
    ...                        learning_rate=0.27, momentum=0.55, steps=80)
    >>> print(f"w = {run.w[-1]:.6f}, within 1e-7 of (2, 0): {run.distance(2.0)[-1] < 1e-7}")
    w = 2.000000, within 1e-7 of (2, 0): True
    """
    x_array, y_array = as_data(x, y)
    w = as_finite_real("w0", w0)
    train_bias = b0 is not None
    b = as_finite_real("b0", b0) if train_bias else 0.0
    learning_rate, momentum = _settings(learning_rate, momentum)
    steps = as_bounded_count("steps", steps, what="steps")
    nesterov = as_flag("nesterov", nesterov)
    allow_divergence = as_flag("allow_divergence", allow_divergence)

    def gradient(theta: np.ndarray) -> np.ndarray:
        _, grad = _cost_and_gradient(x_array, y_array, float(theta[0]), float(theta[1]))
        return np.array([grad.dw, grad.db if train_bias else 0.0])

    step = _nesterov if nesterov else _heavy_ball
    stats = SufficientStatistics._of(x_array, y_array)
    theta, velocity = np.array([w, b]), np.zeros(2)
    path, ahead = np.empty((steps + 1, 2)), np.empty((steps + 1, 2))
    path[0] = ahead[0] = theta
    costs = np.empty(steps + 1)
    costs[0] = float(stats._cost(w, b))
    if not np.isfinite(costs[0]):
        raise overflow_error("w0, b0, x and y", "the starting cost")
    limit = divergence_limit(costs[0], reference=float(stats._cost(0.0, 0.0)))
    k, diverged = 0, False
    with np.errstate(over="ignore", invalid="ignore"):
        while k < steps:
            theta, velocity = step(theta, velocity, gradient, learning_rate, momentum)
            k += 1
            path[k], ahead[k] = theta, theta + momentum * velocity
            costs[k] = float(stats._cost(theta[0], theta[1]))
            diverged = not costs[k] <= limit  # also true for inf and NaN
            if diverged:
                break
    if diverged:
        rate = _spectral_radius(
            _iteration_matrix(
                curvature._hessian(x_array, train_bias), learning_rate, momentum, nesterov
            )
        )
        if not allow_divergence:
            raise DivergenceError(
                f"momentum descent diverged at step {k}: the cost grew from "
                f"{costs[0]:.4g} to {costs[k]:.4g} with learning_rate={learning_rate}, "
                f"momentum={momentum}. The spectral radius of the iteration matrix is "
                f"{rate:.4g}; the run converges only when it is below 1. Use a smaller "
                f"learning rate (or pass allow_divergence=True to inspect the run)."
            )
        if not (np.all(np.isfinite(path[k])) and np.isfinite(costs[k])):
            k -= 1  # drop the blown-up step rather than return inf or NaN
    return MomentumRun(
        w=path[: k + 1, 0].copy(),
        b=path[: k + 1, 1].copy(),
        w_ahead=ahead[: k + 1, 0].copy(),
        b_ahead=ahead[: k + 1, 1].copy(),
        cost=costs[: k + 1].copy(),
        learning_rate=learning_rate,
        momentum=momentum,
        nesterov=nesterov,
        diverged=diverged,
    )


def iteration_matrix(
    hessian: ArrayLike, *, learning_rate: float, momentum: float, nesterov: bool = False
) -> np.ndarray:
    r"""The matrix that maps :math:`(e_k, e_{k-1})` to :math:`(e_{k+1}, e_k)` on a quadratic.

    With :math:`e_k = \theta_k - \theta^\star` and :math:`v_k = e_k - e_{k-1}`, the
    heavy-ball step is :math:`e_{k+1} = e_k + \beta(e_k - e_{k-1}) - \alpha H e_k`, and
    Nesterov's is :math:`e_{k+1} = (I - \alpha H)\bigl((1+\beta)e_k - \beta e_{k-1}\bigr)`:

    .. math::

        T_{\text{HB}} = \begin{pmatrix} (1+\beta)I - \alpha H & -\beta I \\ I & 0
        \end{pmatrix},
        \qquad
        T_{\text{N}} = \begin{pmatrix} (1+\beta)(I - \alpha H) & -\beta(I - \alpha H) \\
        I & 0 \end{pmatrix}.

    In the eigenbasis of :math:`H` these split into one 2x2 block per eigenvalue; pass
    ``[[lam]]`` to get the block of curvature ``lam``.

    Parameters
    ----------
    hessian : array_like
        The Hessian :math:`H`, ``n`` x ``n``, symmetric.
    learning_rate, momentum : float
        :math:`\alpha > 0` and :math:`\beta \in [0, 1)`.
    nesterov : bool

    Returns
    -------
    numpy.ndarray
        Shape ``(2n, 2n)``.

    Examples
    --------
    >>> iteration_matrix([[2.0]], learning_rate=0.1, momentum=0.5).tolist()
    [[1.3, -0.5], [1.0, 0.0]]
    >>> iteration_matrix([[2.0]], learning_rate=0.1, momentum=0.5, nesterov=True).round(12)
    array([[ 1.2, -0.4],
           [ 1. ,  0. ]])
    """
    matrix = _as_hessian(hessian)
    learning_rate, momentum = _settings(learning_rate, momentum)
    return _iteration_matrix(matrix, learning_rate, momentum, as_flag("nesterov", nesterov))


def _iteration_matrix(
    matrix: np.ndarray, learning_rate: float, momentum: float, nesterov: bool
) -> np.ndarray:
    """:func:`iteration_matrix` on checked values."""
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = learning_rate * matrix
    if not np.all(np.isfinite(scaled)):
        raise overflow_error("hessian and learning_rate", "learning_rate * hessian")
    n = matrix.shape[0]
    eye = np.eye(n)
    if nesterov:
        shrink = eye - learning_rate * matrix
        top = np.hstack([(1 + momentum) * shrink, -momentum * shrink])
    else:
        top = np.hstack([(1 + momentum) * eye - learning_rate * matrix, -momentum * eye])
    return np.vstack([top, np.hstack([eye, np.zeros((n, n))])])


def convergence_rate(
    hessian: ArrayLike, *, learning_rate: float, momentum: float, nesterov: bool = False
) -> float:
    r"""The exact per-step convergence rate on a quadratic: the spectral radius
    :math:`\rho = \max |\text{eig}(T)|` of :func:`iteration_matrix`.

    The error shrinks like :math:`\rho^k` (times at most a polynomial in :math:`k` where an
    eigenvalue of :math:`T` is repeated); :math:`\rho \ge 1` means no convergence.

    Examples
    --------
    Gradient descent on the curvature :math:`28/3` of chapter 2 at :math:`\alpha = 0.01`:

    >>> round(convergence_rate([[28 / 3]], learning_rate=0.01, momentum=0.0), 6)
    0.906667
    """
    matrix = iteration_matrix(
        hessian, learning_rate=learning_rate, momentum=momentum, nesterov=nesterov
    )
    return _spectral_radius(matrix)


def _spectral_radius(matrix: np.ndarray) -> float:
    with np.errstate(over="ignore", invalid="ignore"):
        radius = float(np.max(np.abs(np.linalg.eigvals(matrix))))
    if not np.isfinite(radius):
        raise overflow_error("hessian and learning_rate", "the iteration matrix")
    return radius


def rate_grid(
    hessian: ArrayLike,
    *,
    learning_rates: ArrayLike,
    momenta: ArrayLike,
    nesterov: bool = False,
) -> np.ndarray:
    r""":func:`convergence_rate` on a grid of settings, from the roots in closed form.

    Each 2x2 block has characteristic polynomial :math:`z^2 - a z + c` with
    :math:`a = 1 + \beta - \alpha\lambda, c = \beta` (heavy ball) or
    :math:`a = (1-\alpha\lambda)(1+\beta), c = (1-\alpha\lambda)\beta` (Nesterov), so its
    roots are :math:`a/2 \pm \sqrt{a^2/4 - c}`.

    Parameters
    ----------
    hessian : array_like
        The Hessian, ``n`` x ``n``, symmetric.
    learning_rates, momenta : array_like
        The grid's axes, 1-D; rates greater than 0, momenta in :math:`[0, 1)`.
    nesterov : bool

    Returns
    -------
    numpy.ndarray
        ``rate[i, j]`` for ``momenta[i]`` and ``learning_rates[j]`` (rows follow
        :math:`\beta`, as in :class:`~dlpractice.cost_landscape.Surface`).

    Examples
    --------
    >>> rate_grid([[28 / 3]], learning_rates=[0.01, 0.1], momenta=[0.0]).round(6).tolist()
    [[0.906667, 0.066667]]
    """
    curvatures = np.linalg.eigvalsh(_as_hessian(hessian))
    alphas = as_float_vector("learning_rates", learning_rates)
    betas = as_float_vector("momenta", momenta)
    nesterov = as_flag("nesterov", nesterov)
    if np.any(alphas <= 0):
        raise ValueError("learning_rates must all be greater than 0")
    if np.any((betas < 0) | (betas >= 1)):
        raise ValueError("momenta must all be in [0, 1)")
    size = alphas.size * betas.size * curvatures.size
    as_size("learning_rates and momenta", size, what="grid points times curvatures")
    alpha, beta = alphas[None, :, None], betas[:, None, None]
    shrink = 1 - alpha * curvatures[None, None, :]
    if nesterov:
        a, c = shrink * (1 + beta), shrink * beta
    else:
        a, c = 1 + beta - alpha * curvatures[None, None, :], beta + 0 * shrink
    with np.errstate(over="ignore", invalid="ignore"):
        root = np.sqrt((a * a / 4 - c).astype(complex))
        largest = np.maximum(np.abs(a / 2 + root), np.abs(a / 2 - root))
    if not np.all(np.isfinite(largest)):
        raise overflow_error("hessian and learning_rates", "the rate")
    return largest.max(axis=-1)


class Settings(NamedTuple):
    """A method's textbook settings on a quadratic, and the rate they give."""

    learning_rate: float
    momentum: float
    rate: float


def textbook_settings(hessian: ArrayLike, method: str) -> Settings:
    r"""The classical settings of each method on a quadratic, and their rate in closed form.

    With :math:`\mu` and :math:`L` the smallest and largest eigenvalue of the Hessian and
    :math:`\kappa = L/\mu` its condition number:

    - gradient descent: :math:`\alpha = 2/(L+\mu)`, :math:`\beta = 0`,
      :math:`\rho = (\kappa-1)/(\kappa+1)`;
    - heavy ball: :math:`\alpha = 4/(\sqrt L+\sqrt\mu)^2`, :math:`\beta = \rho^2`,
      :math:`\rho = (\sqrt\kappa-1)/(\sqrt\kappa+1)`;
    - nesterov: :math:`\alpha = 1/L`, :math:`\beta = (\sqrt\kappa-1)/(\sqrt\kappa+1)`,
      :math:`\rho = 1 - 1/\sqrt\kappa`.

    The first two are the best settings of their method on a quadratic (Polyak 1964);
    Nesterov's are the standard ones for strongly convex functions, not the best on a
    quadratic.

    Parameters
    ----------
    hessian : array_like
        Symmetric and positive definite.
    method : str
        One of :data:`METHODS`.

    Returns
    -------
    Settings

    Raises
    ------
    ValueError
        If ``method`` is unknown or the Hessian is not positive definite.

    Examples
    --------
    >>> settings = textbook_settings([[4.0, 0.0], [0.0, 1.0]], "heavy ball")  # kappa = 4
    >>> [round(value, 6) for value in settings]  # 4/9, 1/9, 1/3
    [0.444444, 0.111111, 0.333333]
    """
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    curvatures = np.linalg.eigvalsh(_as_hessian(hessian))
    mu, big_l = float(curvatures[0]), float(curvatures[-1])
    if mu <= 0:
        raise ValueError(f"hessian must be positive definite, got smallest eigenvalue {mu}")
    kappa = big_l / mu
    root = kappa**0.5
    if method == "gradient descent":
        return Settings(2 / (big_l + mu), 0.0, (kappa - 1) / (kappa + 1))
    if method == "heavy ball":
        rate = (root - 1) / (root + 1)
        return Settings(4 / (big_l**0.5 + mu**0.5) ** 2, rate**2, rate)
    return Settings(1 / big_l, (root - 1) / (root + 1), 1 - 1 / root)


def double_root_factors(root: float, *, steps: int) -> np.ndarray:
    r"""The error's factors :math:`e_k/e_0` along a direction whose 2x2 block has a double
    root :math:`z`, starting at rest.

    A 2x2 block :math:`\begin{pmatrix} 2z & -z^2\\ 1 & 0\end{pmatrix}` with a double
    eigenvalue :math:`z` is :math:`zI + N` with :math:`N^2 = 0`, so
    :math:`T^k = z^k I + k z^{k-1} N`. Applied to :math:`(e_0, e_{-1}) = (e_0, e_0)` (at
    rest):

    .. math:: e_k = z^k\,\bigl(1 + k(1 - z)\bigr)\, e_0 .

    The error falls like :math:`|z|^k` times a factor that *grows* with :math:`k`, which is
    why a run at the textbook settings needs more steps than :math:`|z|^k` alone predicts.

    Parameters
    ----------
    root : float
        The double root :math:`z`.
    steps : int
        Last :math:`k`, at least 1.

    Returns
    -------
    numpy.ndarray
        :math:`e_k/e_0` for :math:`k = 0, \dots,` ``steps``.

    Examples
    --------
    >>> double_root_factors(0.5, steps=3).tolist()
    [1.0, 0.75, 0.5, 0.3125]
    """
    z = as_finite_real("root", root)
    k = np.arange(as_bounded_count("steps", steps, what="steps") + 1)
    with np.errstate(over="ignore", invalid="ignore"):
        factors = z**k * (1 + k * (1 - z))
    if not np.all(np.isfinite(factors)):
        raise overflow_error("root and steps", "root**steps")
    return factors


def steps_to_tolerance(errors: ArrayLike, *, tolerance: float) -> int:
    """The first step ``k`` at which ``errors[k] <= tolerance * errors[0]``.

    Parameters
    ----------
    errors : array_like
        Non-negative errors, 1-D, ``errors[0] > 0``.
    tolerance : float
        The fraction of the starting error to reach, in ``(0, 1)``.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If the errors never fall that far: run longer.

    Examples
    --------
    >>> steps_to_tolerance(0.5 ** np.arange(30), tolerance=1e-6)
    20
    """
    values = as_float_vector("errors", errors)
    tolerance = check_scalar("tolerance", tolerance, low=0, high=1, closed="neither")
    if values[0] <= 0 or np.any(values < 0):
        raise ValueError("errors must be non-negative with errors[0] > 0")
    reached = np.flatnonzero(values <= tolerance * values[0])
    if reached.size == 0:
        raise ValueError(
            f"the errors never fall to {tolerance:g} of the first within "
            f"{values.size - 1} steps; run longer"
        )
    return int(reached[0])
