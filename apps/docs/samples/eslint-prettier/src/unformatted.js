const greeting = "hello";
export { greeting }
