/**
 * Reduces one or more errors into a string[] of messages (trailheadapps/lwc-recipes `ldsUtils`).
 * Reads Apex errors ({ body: { message } }), UI API errors, JS errors, and the stand-alone adapter's
 * EngineError, which carries the same { body: { message } } shape.
 */
export function reduceErrors(errors) {
  if (!Array.isArray(errors)) errors = [errors];
  return (
    errors
      .filter((error) => !!error)
      .map((error) => {
        if (Array.isArray(error.body)) return error.body.map((e) => e.message);
        if (error.body && Array.isArray(error.body.pageErrors) && error.body.pageErrors.length > 0) return error.body.pageErrors.map((e) => e.message);
        if (error.body && error.body.fieldErrors && Object.keys(error.body.fieldErrors).length > 0) {
          return Object.values(error.body.fieldErrors).flat().map((e) => e.message);
        }
        if (error.body && typeof error.body.message === 'string') return error.body.message;
        if (typeof error.message === 'string') return error.message;
        return error.statusText;
      })
      .flat()
      .filter((message) => !!message)
  );
}

/** HTTP status of an error from Apex (PmsEngineController.EngineException message "[404] …") or the stand-alone adapter. */
export function errorStatus(error) {
  if (!error) return undefined;
  if (typeof error.status === 'number' && error.status > 0 && error.body?.code) return error.status;
  const m = /^\[(\d{3})\]/.exec(error.body?.message || '');
  return m ? Number(m[1]) : error.status;
}
