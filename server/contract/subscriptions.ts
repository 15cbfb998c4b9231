/**
 * The reasons a customer may give for cancelling, in the order the survey shows
 * them, with the English label merchants see (`GET /api/cancellation-reasons`).
 * The widget has its own translated label for each code.
 */
export const cancellationReasons = [
  { code: 'too_expensive', label: 'It is too expensive' },
  { code: 'missing_features', label: 'Features I need are missing' },
  { code: 'switched_service', label: 'I switched to another service' },
  { code: 'unused', label: 'I do not use it enough' },
  { code: 'customer_service', label: 'Customer service was not good enough' },
  { code: 'too_complex', label: 'It is too complicated to use' },
  { code: 'low_quality', label: 'The quality was not good enough' },
  { code: 'other', label: 'Another reason' },
] as const;

/** A cancellation reason's code. */
export type CancellationReason = (typeof cancellationReasons)[number]['code'];

/** The reason codes alone, in survey order. */
export const cancellationReasonCodes = cancellationReasons.map((reason) => reason.code) as [
  CancellationReason,
  ...CancellationReason[],
];
