"""The curvature of the whole loss: the top Hessian eigenvalue, from Hessian-vector products.

Gradient descent moves every weight at once, so its step size is capped by the
top eigenvalue of the Hessian over all weights together, not of one layer's
block. The Hessian of this network has (D_in H + H D_out)^2 = 1e10 entries, too
many to store; a Hessian-vector product H v costs about two backward passes.
"""

import numpy as np

from course_utils._validate import positive_int


def top_eigenvalue(hvp, dim, steps=40, seed=0):
    """Largest eigenvalue of a symmetric (dim, dim) matrix known only through ``hvp(v)``.

    Lanczos iteration with full re-orthogonalisation, in float64: ``steps``
    products build an orthonormal basis of the Krylov space of a random start
    vector (seeded), in which the matrix is tridiagonal; its top eigenvalue
    converges to the matrix's. ``hvp`` maps a float64 vector (dim,) to (dim,).
    """
    if not callable(hvp):
        raise TypeError(f"expected hvp to be a function of one vector, got {type(hvp).__name__}")
    dim, steps = positive_int("dim", dim), positive_int("steps", steps)
    steps = min(steps, dim)
    basis = np.zeros((steps, dim))
    q = np.random.default_rng(seed).standard_normal(dim)
    basis[0] = q / np.linalg.norm(q)
    alphas, betas = [], []
    for k in range(steps):
        w = np.asarray(hvp(basis[k].copy()), dtype=np.float64).reshape(-1)
        if w.shape != (dim,) or not np.all(np.isfinite(w)):
            raise ValueError(f"expected hvp(v) to return {dim} finite numbers, got {w.shape}")
        alphas.append(float(basis[k] @ w))
        w -= basis[: k + 1].T @ (basis[: k + 1] @ w)  # full re-orthogonalisation,
        w -= basis[: k + 1].T @ (basis[: k + 1] @ w)  # twice, for float64's sake
        beta = float(np.linalg.norm(w))
        if k + 1 == steps or beta < 1e-12 * max(abs(a) for a in alphas):
            break  # the Krylov space is exhausted: the tridiagonal matrix is exact
        betas.append(beta)
        basis[k + 1] = w / beta
    tri = (
        np.diag(alphas)
        + np.diag(betas[: len(alphas) - 1], 1)
        + np.diag(betas[: len(alphas) - 1], -1)
    )
    return float(np.linalg.eigvalsh(tri)[-1])


def torch_hvp(loss_fn, params):
    """``hvp(v)`` for the Hessian of ``loss_fn()`` over the tensors ``params``, by double backward.

    ``loss_fn``: no arguments, returns a 0-d tensor computed from ``params``
    (tensors with requires_grad). The gradient is taken once with
    ``create_graph=True``; each product then differentiates g . v once more.
    Vectors are flat float64 numpy arrays, in the order of ``params``.
    """
    import torch

    params = list(params)
    if not params or not all(isinstance(p, torch.Tensor) and p.requires_grad for p in params):
        raise ValueError("expected params: a non-empty list of tensors with requires_grad=True")
    loss = loss_fn()
    if not isinstance(loss, torch.Tensor) or loss.dim() != 0:
        raise ValueError(f"expected loss_fn() to return a 0-d tensor, got {loss!r:.60}")
    grads = torch.autograd.grad(loss, params, create_graph=True)
    flat_grad = torch.cat([g.reshape(-1) for g in grads])

    def hvp(v):
        v = torch.as_tensor(v, dtype=flat_grad.dtype, device=flat_grad.device)
        products = torch.autograd.grad(flat_grad, params, grad_outputs=v, retain_graph=True)
        return torch.cat([p.reshape(-1) for p in products]).detach().cpu().double().numpy()

    return hvp, flat_grad.numel()


def hessian_lr_bound(loss_fn, params, steps=40):
    """2 / lambda_max of the Hessian of ``loss_fn()`` over all of ``params`` (see torch_hvp).

    Plain gradient descent on ``params`` is unstable above this learning rate.
    Compute in float64: float32 products are too coarse for the eigenvalue.
    """
    hvp, dim = torch_hvp(loss_fn, params)
    lam_max = top_eigenvalue(hvp, dim, steps=steps)
    if lam_max <= 0:
        raise ValueError(f"expected a positive top eigenvalue, got {lam_max:.3g}")
    return 2 / lam_max
