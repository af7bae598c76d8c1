"""The one refusal every domain raises: a rule of the process says no, in plain Dutch."""


class ProcessError(Exception):
    """A rule of the process refuses this step; the message is for the user, in plain Dutch.

    Domains subclass it where a caller needs to tell their refusals apart (``NeedsError``,
    ``ProfileError``, ``SignalError``). It lives at the bottom so that no domain has to import
    another domain's services just to say no.
    """
