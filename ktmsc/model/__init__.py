"""The vocabulary of the product: the content's schema, the loaded questionnaire, what an
answer means for an item, the assessment and the limits on input.

Everything above imports from here; this package imports nothing of ``ktmsc`` but
:mod:`ktmsc.i18n`.
"""
