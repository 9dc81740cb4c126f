"""Self-checks for the notebooks' exercises: each says what is wrong, not just 'failed'.

Every check computes its own reference answer, on its own data, with code
written independently of the learner's. A right answer prints a line starting
with 'Correct'; a wrong one raises an AssertionError. When the wrong answer
matches a known mistake (a missing factor 2, a forgotten mask, a mean for a
sum, ...), the message names that mistake.

Where each check lives (one module per notebook):

- ``nb01_numpy_by_hand``: check_bias_gradients (01.1), check_mean_loss_lr (01.2),
  check_tanh_backward (01.3)
- ``nb02_tensors_by_hand``: check_backward_torch (02.1), check_shared_memory (02.2),
  check_loss_torch (02.3)
- ``nb03_autograd_and_sequential``: check_tanh_function (03.1), check_train_step (03.2),
  check_default_init_first_loss (03.3)
- ``nb04_module_and_optim``: check_three_layer_net (04.1), check_fit (04.2),
  check_sgd_lr (04.3)

Shared by them: ``_judge`` (comparing with a reference, the messages, judging
a training run) and ``_reference`` (reference problems, nets and runs). Importing
this package imports numpy only; the checks of 02 to 04 import torch when called.
"""

from course_utils.exercises.nb01_numpy_by_hand import (
    check_bias_gradients,
    check_mean_loss_lr,
    check_tanh_backward,
)
from course_utils.exercises.nb02_tensors_by_hand import (
    check_backward_torch,
    check_loss_torch,
    check_shared_memory,
)
from course_utils.exercises.nb03_autograd_and_sequential import (
    check_default_init_first_loss,
    check_tanh_function,
    check_train_step,
)
from course_utils.exercises.nb04_module_and_optim import (
    check_fit,
    check_sgd_lr,
    check_three_layer_net,
)

__all__ = [
    "check_backward_torch",
    "check_bias_gradients",
    "check_default_init_first_loss",
    "check_fit",
    "check_loss_torch",
    "check_mean_loss_lr",
    "check_sgd_lr",
    "check_shared_memory",
    "check_tanh_backward",
    "check_tanh_function",
    "check_three_layer_net",
    "check_train_step",
]
